from __future__ import annotations

import torch

from engine import devices


def test_cpu_runs_the_network_in_bf16_only_with_amx(monkeypatch) -> None:
    cpu = torch.device("cpu")
    monkeypatch.setattr(devices, "cpu_has_amx", lambda: True)
    assert devices.autocast_dtype(cpu) is torch.bfloat16
    with devices.autocast(cpu):
        assert torch.is_autocast_enabled("cpu")
        out = torch.nn.functional.conv2d(torch.ones(1, 3, 8, 8), torch.ones(4, 3, 3, 3))
    assert out.dtype is torch.bfloat16
    monkeypatch.setattr(devices, "cpu_has_amx", lambda: False)
    assert devices.autocast_dtype(cpu) is None
    with devices.autocast(cpu):
        assert not torch.is_autocast_enabled("cpu")


def test_amx_check_answers_a_bool() -> None:
    assert isinstance(devices.cpu_has_amx(), bool)


def test_configure_keeps_a_lower_thread_count() -> None:
    before = torch.get_num_threads()
    try:
        torch.set_num_threads(1)  # as a worker with WORKER_THREADS=1 does
        devices.configure(torch.device("cpu"))
        assert torch.get_num_threads() == 1
    finally:
        torch.set_num_threads(before)
