"""Benchmarks, contact sheets and load reports: scripts that measure the product and print
figures. Nothing in the runtime packages imports this package."""
