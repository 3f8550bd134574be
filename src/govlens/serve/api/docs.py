"""``/api/docs``: the OpenAPI document rendered as a page, server-side (no CDN, no script)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from govlens.serve.web import render

router = APIRouter()

METHODS = ("get", "post", "put", "patch", "delete")


def operations(spec: dict[str, Any]) -> list[dict[str, Any]]:
    """The operations of an OpenAPI document, in path order, flattened for a template."""
    out = []
    for path, item in spec.get("paths", {}).items():
        for method in METHODS:
            op = item.get(method)
            if op is None:
                continue
            out.append(
                {
                    "method": method.upper(),
                    "path": path,
                    "summary": op.get("summary", ""),
                    "description": op.get("description", ""),
                    "tags": op.get("tags", []),
                    "parameters": [
                        {
                            "name": p["name"],
                            "in": p["in"],
                            "required": p.get("required", False),
                            "type": p.get("schema", {}).get("type", ""),
                            "description": p.get("description", ""),
                        }
                        for p in op.get("parameters", [])
                    ],
                }
            )
    return out


@router.get("/docs", response_class=HTMLResponse, include_in_schema=False, name="api_docs")
def api_docs(request: Request) -> HTMLResponse:
    spec = request.app.openapi()
    context = {"spec": spec, "operations": operations(spec), "spec_url": request.app.openapi_url}
    return render(request, "api_docs.html", context)
