"""A tiny knowledge base (two languages, four entries) written into a folder, for index tests."""

from __future__ import annotations

from pathlib import Path

import yaml

from faq.config import Settings, load_settings
from faq.models import content_hash

ENTRIES = {
    "streaming-nginx": (
        "deployment",
        {
            "en": (
                "Why is there no streaming output behind nginx?",
                ["replies arrive all at once", "nginx streaming broken"],
                [],
                "Turn off proxy buffering in nginx:\n\n```nginx\nproxy_buffering off;\n```",
            ),
            "ko": (
                "nginx 뒤에서 스트리밍이 안 되는 이유는?",
                ["답변이 한꺼번에 나와요", "nginx 스트리밍"],
                [],
                "nginx에서 프록시 버퍼링을 끄세요.\n\n```nginx\nproxy_buffering off;\n```",
            ),
        },
    ),
    "quota-exceeded": (
        "usage",
        {
            "en": (
                "What does 'You exceeded your current quota' mean?",
                ["out of credit", "openai balance empty"],
                ["You exceeded your current quota, please check your plan and billing details."],
                "Your API key has no balance left. Top it up.",
            ),
            "ko": (
                "'현재 할당량을 초과했습니다' 메시지는 무슨 뜻인가요?",
                ["잔액 부족", "크레딧 소진"],
                ["You exceeded your current quota, please check your plan and billing details."],
                "API 키의 잔액이 부족합니다. 충전하세요.",
            ),
        },
    ),
    "vercel-env-vars": (
        "deployment",
        {
            "en": (
                "How do I change environment variables on Vercel?",
                ["vercel env settings", "where are vercel variables"],
                [],
                "Open the project on Vercel, Settings, Environment Variables, edit, redeploy.",
            ),
            "ko": (
                "Vercel 환경 변수는 어떻게 바꾸나요?",
                ["vercel 환경변수", "버셀 설정 변경"],
                [],
                "Vercel 프로젝트 Settings → Environment Variables에서 바꾸고 다시 배포하세요.",
            ),
        },
    ),
    # only in English: the Korean reader gets the English version, labelled as a fallback
    "get-help": (
        "general",
        {
            "en": (
                "How do I get help quickly?",
                ["where to ask questions", "support"],
                [],
                "Search first, then ask with details of your setup.",
            ),
        },
    ),
}


def write_corpus(root: Path, *, langs: tuple[str, ...] = ("en", "ko")) -> Settings:
    """Write the corpus and a faq.toml under `root`; return its settings (fake embedder)."""
    docs = root / "docs"
    sources: dict[str, str] = {}
    for entry_id, (section, versions) in ENTRIES.items():
        for lang, (title, questions, errors, body) in versions.items():
            if lang not in langs:
                continue
            meta: dict[str, object] = {
                "id": entry_id,
                "section": section,
                "title": title,
                "questions": questions,
                "errors": errors,
                "tags": [],
                "related": [],
            }
            if lang != "en":
                meta["translated_from"] = "en"
                meta["source_hash"] = sources[entry_id]
            else:
                sources[entry_id] = content_hash(title, body)
            path = docs / lang / section / f"{entry_id}.md"
            path.parent.mkdir(parents=True, exist_ok=True)
            front = yaml.safe_dump(meta, allow_unicode=True, sort_keys=False, width=1000)
            path.write_text(f"---\n{front}---\n\n{body}\n", "utf-8")
    (root / "faq.toml").write_text(
        f"languages = {list(langs)!r}\n".replace("'", '"')
        + 'default_language = "en"\nembedder = "fake"\ngold = ""\n',
        "utf-8",
    )
    return load_settings(cwd=root, env={})
