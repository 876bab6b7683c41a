"""Log and console lines as `errors:` (issue #11): a one-line code block or blockquote under a
sentence saying it is what the user sees; what is taken, and what is not (a shell command)."""

from __future__ import annotations

import pytest

from faq.error_strings import extract_errors, is_log_line
from faq.import_plan import plan_import


def errors_of(body: str, title: str = "Why does it stop?") -> list[str]:
    return extract_errors(title, title, body)


@pytest.mark.parametrize(
    ("before", "block"),
    [
        ("Through the proxy you see:", "[proxychains] Strict chain ... 127.0.0.1:9050 ... timeout"),
        ("The install prints", "npm ERR! code ERESOLVE"),
        ("The log shows one line and the server is gone:", "Killed"),
        ("`docker ps -a` shows", "Exited (137) 2 minutes ago - exit code 137"),
        ("On start it prints:", "connect ECONNREFUSED 127.0.0.1:5432"),
        ("Sometimes the message is", "ssh: connect to host db1 port 22: Connection refused"),
        ("启动时出现：", "[Net] Failed to bind port 27015: Address already in use"),
        ("客户端报：", "2024-05-01 10:02:11 WARN sync aborted"),
        ("次のように表示されます。", "Segmentation fault (core dumped)"),
        ("실행하면 이렇게 나옵니다.", "connect ETIMEDOUT 10.0.0.2:443"),
        # a message in Korean, Chinese or Japanese words of failure, no English in it
        (
            "앱에 다음 메시지가 나오면 잠금장치와 연결되지 않은 것입니다.",
            "대여 실패: 단말기와 연결할 수 없습니다 (ERR-BLE-02)",
        ),
        ("앱에 이런 메시지가 보이면:", "반납 처리 중 오류가 발생했습니다 (RTN-408)"),
        ("打开应用时显示：", "无法连接服务器，请稍后再试"),
        ("次のメッセージが表示されます。", "予約を保存できません"),
    ],
)
def test_a_log_line_the_user_sees_is_taken(before: str, block: str) -> None:
    for body in (f"{before}\n\n```\n{block}\n```\n\nFix it.", f"{before}\n\n> {block}\n\nFix it."):
        assert errors_of(body) == [block], body


@pytest.mark.parametrize(
    "body",
    [
        # a shell command under a cue, in every form
        "If you see this, run:\n\n```\nsudo systemctl restart frob\n```",
        "If the log shows nothing, restart it:\n\n```sh\nfrob restart --force\n```",
        "The fix, if it prints nothing:\n\n```\n$ frob --reset\n```",
        "出现这种情况时执行：\n\n```\ndocker compose up -d\n```",
        # a log line with no cue before it
        "Restart the server.\n\n```\nKilled\n```",
        "Then:\n\n> connect ECONNREFUSED 127.0.0.1:5432",
        # more than one line: only an error line is a candidate (existing rule), none here
        "The log shows:\n\n```\nstarting\nlistening on :8080\n```",
        # code in a language: a config, not output
        "The log shows it uses:\n\n```yaml\ntimeout: 30\n```",
        # a plain sentence under a cue
        "You will see:\n\n> Everything is up to date.",
        # a Korean sentence with no word of failure under a cue; a command with one
        "앱에 다음 안내가 나옵니다.\n\n> 잠시 후 다시 시도해 주세요.",
        "실패 메시지가 나오면 다음을 실행하세요:\n\n```\nsudo frob --reset 실패\n```",
    ],
)
def test_what_is_not_taken(body: str) -> None:
    assert errors_of(body) == []


def test_is_log_line() -> None:
    assert is_log_line("Killed") and is_log_line("exit code 137")
    assert is_log_line("Error: disk full")
    assert not is_log_line("kill -9 1234") and not is_log_line("cat /var/log/syslog")
    assert not is_log_line("Open Settings and choose Dark")


def test_log_lines_in_an_imported_page() -> None:
    text = (
        "# FAQ\n\n## Why does the build stop half-way?\n\nThe build log ends with\n\n```\n"
        "Killed\n```\n\nGive the machine more memory.\n\n"
        "## How do I restart it?\n\nIf you see a blank page, run:\n\n```\nfrob restart\n```\n"
    )
    assert [e.errors for e in plan_import(text).entries] == [("Killed",), ()]


@pytest.mark.parametrize(
    ("title", "body", "expected"),
    [
        # a heading that is only the quoted message
        (
            '"Failed to decrypt vault: authentication tag mismatch"',
            "The vault file is damaged.",
            ["Failed to decrypt vault: authentication tag mismatch"],
        ),
        # a quoted program line of a few words in the title
        (
            '"Native messaging host not found" in the extension',
            "Start the app once.",
            ["Native messaging host not found"],
        ),
        # an answer that opens with the output, under a title saying it is what the user sees
        (
            'Server logs "database is locked"',
            "```\nsqlite3.OperationalError: database is locked\n```\n\nRun one container.",
            ["sqlite3.OperationalError: database is locked"],
        ),
        # 看到 ("see") announces the block below it
        ("构建时内存不足被杀掉", "在 CI 中可能看到：\n\n```\nKilled\n```\n\n调小。", ["Killed"]),
        # an error code between the word and the colon
        (
            "ログイン時に「E1023」と表示されます。",
            "次のように表示される場合は：\n\n> エラー E1023: 認証に失敗しました\n\n再度どうぞ。",
            ["エラー E1023: 認証に失敗しました"],
        ),
        (
            "Can't connect to MySQL",
            "You get:\n\n```\nERROR 2002 (HY000): Can't connect to local MySQL server\n```",
            ["ERROR 2002 (HY000): Can't connect to local MySQL server"],
        ),
        # a statement title quoting what the program shows, in Japanese and Korean
        (
            "「同期に失敗しました」と表示されます",
            "Wi-Fi を確認してください。",
            ["同期に失敗しました"],
        ),
        (
            '앱을 열면 "서버에 연결할 수 없습니다"가 떠요',
            "네트워크를 확인하세요.",
            ["서버에 연결할 수 없습니다"],
        ),
        # …but not a greeting or a label it shows, nor a quote not followed by such a verb
        ('"Welcome back" pops up on every start', "It is the greeting.", []),
        ("「ダークモード」と表示される項目はどこ？", "設定にあります。", []),
        ('"동기화 실패" 알림을 끄려면?', "설정에서 끕니다.", []),
        # a quoted word or a quoted command in a title is not a message
        ('How do I use "unknown" fields?', "Like this.", []),
        ('Why is "npm install --force" needed?', "Peer dependencies.", []),
        ('How do I change the "Welcome to Acme" message?', "In the settings.", []),
    ],
)
def test_messages_from_titles_and_first_blocks(title: str, body: str, expected: list[str]) -> None:
    assert extract_errors(title, title, body) == expected
