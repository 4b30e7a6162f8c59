"""OpenAPI: the authentication schemes, and a post-processing hook that documents case facts
in full and the error answers of every operation."""

from __future__ import annotations

from typing import Any

from drf_spectacular.extensions import OpenApiAuthenticationExtension


class TokenScheme(OpenApiAuthenticationExtension):  # type: ignore[no-untyped-call]
    target_class = "npp.web.api.auth.TokenAuthentication"
    name = "tokenAuth"

    def get_security_definition(self, auto_schema: Any) -> dict[str, str]:
        return {
            "type": "apiKey",
            "in": "header",
            "name": "Authorization",
            "description": "`Token <key>`; `npp token create USERNAME` prints a key.",
        }


class SessionScheme(OpenApiAuthenticationExtension):  # type: ignore[no-untyped-call]
    target_class = "npp.web.api.auth.SessionAuthentication"
    name = "cookieAuth"

    def get_security_definition(self, auto_schema: Any) -> dict[str, str]:
        return {"type": "apiKey", "in": "cookie", "name": "npp_session"}


# --------------------------------------------------------------------------- post-processing

#: Answers every operation can give, in the contract's error shape (contract §4).
ERROR_ANSWERS = {
    "400": "The request is invalid: one problem per field",
    "401": "Not authenticated",
    "403": "Not allowed for this role or this case",
    "404": "No such case (or not one you may see)",
}
BODY_ANSWERS = {"415": "The body is not JSON (Content-Type: application/json)"}


def _nullable(node: Any) -> Any:
    """JSON Schema's ``anyOf: [X, {type: null}]`` as OpenAPI 3.0's ``X, nullable: true``."""
    if isinstance(node, list):
        return [_nullable(n) for n in node]
    if not isinstance(node, dict):
        return node
    node = {k: _nullable(v) for k, v in node.items() if k != "title"}
    options = node.get("anyOf")
    if isinstance(options, list) and {"type": "null"} in options and len(options) == 2:
        other = next(o for o in options if o != {"type": "null"})
        rest = {k: v for k, v in node.items() if k != "anyOf"}
        node = {**other, **rest, "nullable": True}
        if "enum" in node and None not in node["enum"]:
            node["enum"] = [*node["enum"], None]  # OpenAPI 3.0: a nullable enum lists null
    if node.get("default", 0) is None:
        del node["default"]
    return node


def case_facts_schemas() -> dict[str, Any]:
    """Contract §1 case facts as OpenAPI components, from the validator's own model, with the
    vocabulary's codes as enumerations (the validator checks them against the same lists)."""
    import npp
    from npp.screening.facts import CaseFacts

    kb = npp.engine().kb
    v = kb.vocabulary
    raw = CaseFacts.model_json_schema(ref_template="#/components/schemas/Facts{model}")
    comps = {f"Facts{k}": _nullable(d) for k, d in raw.pop("$defs", {}).items()}
    comps["CaseFacts"] = _nullable(raw)
    facts = comps["CaseFacts"]["properties"]
    facts["jurisdiction"]["enum"] = list(v.jurisdictions)
    facts["stage"]["enum"] = [*v.stages, None]  # (null: not known, the default stage)
    facts["indicators"]["items"]["enum"] = sorted(kb.indicators)
    comps["FactsOffence"]["properties"]["category"]["enum"] = list(v.offence_categories)
    t = comps["FactsTrafficking"]["properties"]
    for name, codes in (("acts", v.trafficking_acts), ("means", v.trafficking_means),
                        ("purposes", v.exploitation_purposes)):  # fmt: skip
        t[name]["items"]["enum"] = list(codes)
    return comps


def postprocess(result: dict[str, Any], generator: Any, request: Any, public: Any) -> Any:
    """Document what the API really takes and answers: case facts in full (not "any object"),
    and the error answers (400, 401, 403, 404; 415 with a body) of every operation."""
    schemas = result.setdefault("components", {}).setdefault("schemas", {})
    schemas.update(case_facts_schemas())
    facts_ref = {"$ref": "#/components/schemas/CaseFacts"}
    for name in ("CaseCreateRequest", "FactsUpdateRequest"):
        if name in schemas:
            schemas[name]["properties"]["facts"] = facts_ref
    errors_ref = {"$ref": "#/components/schemas/Errors"}
    for path, item in result.get("paths", {}).items():
        for op in item.values():
            if not isinstance(op, dict) or "responses" not in op:
                continue
            if op.get("operationId") == "assess":
                op["requestBody"]["content"]["application/json"]["schema"] = facts_ref
                op["requestBody"]["required"] = True
            answers = dict(ERROR_ANSWERS) if path.startswith("/api/v1/") else {}
            if path.endswith("/schema/"):
                answers = {}
            if "requestBody" in op:
                answers.update(BODY_ANSWERS)
            for code, text in answers.items():
                op["responses"].setdefault(
                    code,
                    {"description": text, "content": {"application/json": {"schema": errors_ref}}},
                )
    return result
