"""Errors as RFC 9457 problem details: a stable `code` and a sentence a person understands.

Routes raise `Problem`; the handlers here also turn the job service's refusals, validation
errors and unknown routes into the same shape. This is the one place errors are written.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel
from starlette.exceptions import HTTPException

from jobs import Busy, QueueFull, ServiceUnavailable, UnknownJob
from jobs.errors import ErrorCode, JobRefused
from jobs.i18n import N_

log = logging.getLogger(__name__)

MEDIA_TYPE = "application/problem+json"


class ProblemOut(BaseModel):
    type: str = "about:blank"
    title: str
    status: int
    code: str
    detail: str


class Problem(Exception):
    def __init__(
        self, status: int, code: str, detail: str, *, headers: dict[str, str] | None = None
    ) -> None:
        super().__init__(detail)
        self.status, self.code, self.detail, self.headers = status, code, detail, headers


TITLES = {
    400: "Bad request", 401: "Unauthorized", 404: "Not found", 405: "Method not allowed",
    409: "Conflict", 410: "Gone", 413: "Too large", 415: "Unsupported media type",
    422: "Unprocessable content", 429: "Too many requests", 500: "Internal error",
    503: "Service unavailable",
}  # fmt: skip


@dataclass(frozen=True)
class Http:
    """What a code of the job service means over HTTP."""

    status: int
    retry_after: int | None = None  # seconds, where waiting helps
    detail: str = ""  # the sentence, where the code alone says it (else the caller's)


_INPUT = Http(422)
# Every code of the job service (jobs/errors.py), in the API's terms: the one table.
HTTP: dict[ErrorCode, Http] = {
    ErrorCode.BAD_INPUT: _INPUT, ErrorCode.INPUT_GONE: Http(410), ErrorCode.ENGINE: _INPUT,
    ErrorCode.GAVE_UP: Http(500),
    ErrorCode.UNAVAILABLE: Http(
        503, 30, N_("We can't take new pictures right now. Please try again shortly.")),
    ErrorCode.TOO_MANY_JOBS: Http(
        429, 10, N_("You already have as many pictures in the works as allowed. "
           "Please wait for one to finish or cancel it.")),
    ErrorCode.QUEUE_FULL: Http(
        503, 60, N_("We are very busy and the queue is full. Please try again in a few minutes.")),
    ErrorCode.TOO_LARGE: Http(413), ErrorCode.UNSUPPORTED_IMAGE: Http(415),
    ErrorCode.UNSUPPORTED_VIDEO: Http(415), ErrorCode.BAD_IMAGE: _INPUT,
    ErrorCode.VIDEO_DAMAGED: _INPUT, ErrorCode.VIDEO_NO_VIDEO: _INPUT,
    ErrorCode.VIDEO_NO_FRAMES: _INPUT, ErrorCode.VIDEO_TOO_LONG: _INPUT,
    ErrorCode.VIDEO_BAD_FRAME_RATE: _INPUT, ErrorCode.VIDEO_BAD_SHAPE: _INPUT,
}  # fmt: skip


def job_problem(code: ErrorCode, detail: str = "") -> Problem:
    """The problem for a code of the job service, by the table above."""
    http = HTTP[code]
    headers = {"Retry-After": str(http.retry_after)} if http.retry_after else None
    return Problem(http.status, code, detail or http.detail, headers=headers)


def problem_response(problem: Problem) -> JSONResponse:
    body = ProblemOut(
        title=TITLES.get(problem.status, "Error"), status=problem.status, code=problem.code,
        detail=problem.detail,
    )  # fmt: skip
    return JSONResponse(
        body.model_dump(), status_code=problem.status, media_type=MEDIA_TYPE,
        headers=problem.headers,
    )  # fmt: skip


def job_not_found() -> Problem:
    return Problem(404, "job_not_found", N_("There is no such job, or its result has expired."))


async def _problem(_: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, Problem)
    return problem_response(exc)


async def _invalid(_: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    first = exc.errors()[0] if exc.errors() else {}
    where = ".".join(str(p) for p in first.get("loc", ()) if p not in ("body", "query"))
    detail = f"{where}: {first.get('msg', 'invalid value')}" if where else "Invalid request."
    return problem_response(Problem(422, "invalid_request", detail))


async def _http(_: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, HTTPException)
    code = {404: "not_found", 405: "method_not_allowed"}.get(exc.status_code, "http_error")
    return problem_response(Problem(exc.status_code, code, str(exc.detail)))


async def _refused(_: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, JobRefused)
    if exc.code == ErrorCode.UNAVAILABLE:
        log.warning("job refused: %r", exc)
    return problem_response(job_problem(exc.code))


async def _unknown_job(_: Request, __: Exception) -> JSONResponse:
    return problem_response(job_not_found())


async def _crash(_: Request, exc: Exception) -> JSONResponse:
    log.error("unhandled error", exc_info=exc)
    return problem_response(Problem(500, "internal", N_("Something went wrong on our side.")))


def install(app: FastAPI) -> None:
    app.add_exception_handler(Problem, _problem)
    app.add_exception_handler(RequestValidationError, _invalid)
    app.add_exception_handler(HTTPException, _http)
    for refusal in (Busy, QueueFull, ServiceUnavailable):
        app.add_exception_handler(refusal, _refused)
    app.add_exception_handler(UnknownJob, _unknown_job)
    app.add_exception_handler(Exception, _crash)
