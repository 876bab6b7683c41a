"""Request dependencies: what the app and its lifespan put on app.state (async: no thread hop)."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from faq.config import Settings
from faq.feedback import FeedbackStore
from faq.service import FaqService


async def get_service(request: Request) -> FaqService:
    service: FaqService = request.app.state.service
    return service


async def get_feedback(request: Request) -> FeedbackStore:
    store: FeedbackStore = request.app.state.feedback
    return store


async def get_settings(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


ServiceDep = Annotated[FaqService, Depends(get_service)]
FeedbackDep = Annotated[FeedbackStore, Depends(get_feedback)]
SettingsDep = Annotated[Settings, Depends(get_settings)]
