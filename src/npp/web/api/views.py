"""REST API (contract §4): assessments, and cases with the same permissions as the web pages."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.db import transaction
from django.shortcuts import get_object_or_404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiExample, OpenApiResponse, extend_schema, inline_serializer
from rest_framework import permissions, serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

import npp
from npp.web import access
from npp.web.api import serializers as s
from npp.web.api.errors import errors
from npp.web.cases import actions
from npp.web.cases.models import Person, Referral
from npp.web.cases.vocab import STAGE_CODES
from npp.web.roles import works_on_cases

EXAMPLE = Path(__file__).resolve().parents[4] / "examples" / "th-raid-minor.json"
_ERRORS = inline_serializer(
    "Errors",
    {
        "errors": serializers.ListField(
            child=inline_serializer(
                "Error", {"field": serializers.CharField(), "problem": serializers.CharField()}
            )
        )
    },
)


def _example() -> dict[str, Any]:
    try:
        data: dict[str, Any] = json.loads(EXAMPLE.read_text(encoding="utf-8"))
        return data
    except (OSError, ValueError):
        return {"jurisdiction": "TH", "offences": [{"category": "prostitution"}]}


def _facts_errors(exc: npp.InvalidFacts) -> Response:
    """Problems with the ``facts`` member of a request body, named by their path in the body."""
    return errors(
        [
            (f"facts.{p.where}" if p.where and p.where != "(top level)" else "facts", p.problem)
            for p in exc.problems
        ]
    )


class WorksOnCases(permissions.BasePermission):
    message = "This role does not work on cases."

    def has_permission(self, request: Request, view: Any) -> bool:
        return works_on_cases(request.user)


class AssessmentsView(APIView):
    """Assess one case's facts (contract §1) and return the assessment. Stores nothing."""

    @extend_schema(
        operation_id="assess",
        request=OpenApiTypes.OBJECT,
        responses={
            200: OpenApiResponse(OpenApiTypes.OBJECT, description="The assessment (contract §1)"),
            400: OpenApiResponse(_ERRORS, description="Invalid facts, one problem per field"),
            401: OpenApiResponse(description="Not authenticated"),
            403: OpenApiResponse(description="Not allowed"),
        },
        examples=[
            OpenApiExample("Raid, possible minor (Thailand)", value=_example(), request_only=True)
        ],
    )
    def post(self, request: Request) -> Response:
        try:
            result = npp.engine().assess_data(request.data)
        except npp.InvalidFacts as exc:
            return errors([(p.where, p.problem) for p in exc.problems])
        return Response(result.document)


class MeView(APIView):
    """Who the API sees you as (also the benchmark's trivial endpoint)."""

    @extend_schema(
        responses=inline_serializer(
            "Me",
            {
                "username": serializers.CharField(),
                "role": serializers.CharField(),
                "organisation": serializers.CharField(allow_null=True),
            },
        )
    )
    def get(self, request: Request) -> Response:
        u: Any = request.user
        org = u.organisation.code if u.organisation_id else None
        return Response({"username": u.username, "role": u.role, "organisation": org})


class CaseListView(APIView):
    permission_classes = (permissions.IsAuthenticated, WorksOnCases)

    @extend_schema(responses=s.CaseSummarySerializer(many=True))
    def get(self, request: Request) -> Response:
        qs = (
            access.visible_cases(request.user)
            .select_related("organisation")
            .prefetch_related("offences")
        )
        stage = request.query_params.get("stage")
        if stage:
            if stage not in STAGE_CODES:
                return errors([("stage", f"must be one of {', '.join(STAGE_CODES)}")])
            qs = qs.filter(stage=stage)
        return Response(s.CaseSummarySerializer(qs[:500], many=True).data)

    @extend_schema(
        request=s.CaseCreateSerializer, responses={201: s.CaseSummarySerializer, 400: _ERRORS}
    )
    def post(self, request: Request) -> Response:
        ser = s.CaseCreateSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        d = ser.validated_data
        try:
            case = actions.do_create_case(
                request.user, d["facts"], person=d.get("person"), province=d.get("province", "")
            )
        except npp.InvalidFacts as exc:
            return _facts_errors(exc)
        return Response(s.CaseSummarySerializer(case).data, status=status.HTTP_201_CREATED)


def _detail(case: Any) -> dict[str, Any]:
    latest = case.assessments.order_by("-number").first()
    return {
        **s.CaseSummarySerializer(case).data,
        "facts": case.facts,
        "assessment": latest.document if latest else None,
        "assessments": [
            {
                "number": a.number,
                "reason": a.reason,
                "created_at": a.created_at,
                "law_date": a.law_date,
            }
            for a in case.assessments.order_by("number")
        ],
        "events": s.EventSerializer(case.events.select_related("recorded_by"), many=True).data,
        "referrals": s.ReferralSerializer(
            case.referrals.select_related("from_org", "to_org"), many=True
        ).data,
    }


class CaseDetailView(APIView):
    permission_classes = (permissions.IsAuthenticated, WorksOnCases)

    @extend_schema(responses=OpenApiTypes.OBJECT)
    def get(self, request: Request, reference: str) -> Response:
        case = access.get_case(request.user, reference)
        actions.do_view_case(request.user, case, channel="api")
        return Response(_detail(case))


class CaseFactsView(APIView):
    permission_classes = (permissions.IsAuthenticated, WorksOnCases)

    @extend_schema(
        request=s.FactsUpdateSerializer,
        responses={200: OpenApiTypes.OBJECT, 400: _ERRORS, 409: _ERRORS},
    )
    def put(self, request: Request, reference: str) -> Response:
        case = access.get_case(request.user, reference)
        ser = s.FactsUpdateSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        try:
            actions.do_update_facts(
                request.user, case, ser.validated_data["facts"], ser.validated_data["version"]
            )
        except npp.InvalidFacts as exc:
            return _facts_errors(exc)
        return Response(_detail(case))


class CasePersonView(APIView):
    """The person's identifying data: every read is audited."""

    permission_classes = (permissions.IsAuthenticated, WorksOnCases)

    @extend_schema(responses=s.PersonSerializer)
    def get(self, request: Request, reference: str) -> Response:
        case = access.get_case(request.user, reference)
        if not access.may_see_identity(request.user, case):
            return errors([("", "identifying data was not shared with your organisation")], 403)
        with transaction.atomic():
            actions.do_view_person(request.user, case, channel="api")
            person = Person.objects.filter(case=case).first() or Person(case=case)
        return Response({k: getattr(person, k) for k in Person.FIELDS} | {"version": case.version})

    @extend_schema(
        request=s.PersonUpdateSerializer, responses={200: s.PersonSerializer, 409: _ERRORS}
    )
    def put(self, request: Request, reference: str) -> Response:
        case = access.get_case(request.user, reference)
        if not access.may_see_identity(request.user, case):
            return errors([("", "identifying data was not shared with your organisation")], 403)
        ser = s.PersonUpdateSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        data = dict(ser.validated_data)
        version = data.pop("version")
        actions.do_update_person(request.user, case, data, version)
        return Response({"version": case.version})


class CaseDecisionsView(APIView):
    permission_classes = (permissions.IsAuthenticated, WorksOnCases)

    @extend_schema(request=s.DecisionSerializer, responses={201: s.EventSerializer, 409: _ERRORS})
    def post(self, request: Request, reference: str) -> Response:
        case = access.get_case(request.user, reference)
        ser = s.DecisionSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        d = ser.validated_data
        ev = actions.do_record_decision(
            request.user,
            case,
            d["decision"],
            d["version"],
            decided_by=d["decided_by"],
            reasons=d.get("reasons", ""),
            offence=d.get("offence", ""),
            occurred_on=d.get("occurred_on"),
        )
        return Response(
            s.EventSerializer(ev).data | {"version": case.version}, status=status.HTTP_201_CREATED
        )


class CaseStageView(APIView):
    permission_classes = (permissions.IsAuthenticated, WorksOnCases)

    @extend_schema(request=s.StageSerializer, responses={200: OpenApiTypes.OBJECT, 409: _ERRORS})
    def post(self, request: Request, reference: str) -> Response:
        case = access.get_case(request.user, reference)
        ser = s.StageSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        d = ser.validated_data
        actions.do_advance_stage(
            request.user, case, d["stage"], d["version"], reasons=d.get("reasons", "")
        )
        return Response(_detail(case))


class CaseReferralsView(APIView):
    permission_classes = (permissions.IsAuthenticated, WorksOnCases)

    @extend_schema(
        request=s.ReferralCreateSerializer, responses={201: s.ReferralSerializer, 409: _ERRORS}
    )
    def post(self, request: Request, reference: str) -> Response:
        case = access.get_case(request.user, reference)
        ser = s.ReferralCreateSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        d = ser.validated_data
        r = actions.do_refer(
            request.user,
            case,
            d["to_organisation"],
            d["purpose"],
            d["due_date"],
            d["version"],
            share_identity=d["share_identity"],
            note=d.get("note", ""),
            kind=d.get("kind"),
        )
        return Response(s.ReferralSerializer(r).data, status=status.HTTP_201_CREATED)


class ReferralView(APIView):
    permission_classes = (permissions.IsAuthenticated, WorksOnCases)

    @extend_schema(
        request=s.ReferralUpdateSerializer, responses={200: s.ReferralSerializer, 409: _ERRORS}
    )
    def patch(self, request: Request, reference: str, pk: int) -> Response:
        case = access.get_case(request.user, reference)
        referral = get_object_or_404(
            Referral.objects.select_related("from_org", "to_org", "case"), pk=pk, case=case
        )
        ser = s.ReferralUpdateSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        d = ser.validated_data
        actions.do_update_referral(
            request.user, referral, d["status"], d["version"], note=d.get("note")
        )
        return Response(s.ReferralSerializer(referral).data)
