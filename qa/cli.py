"""The `qa` command: index, search, bench (and ask, chat, eval, serve)."""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
from dataclasses import asdict
from pathlib import Path

from . import settings as settings_module  # importing qa has already switched the hub and analytics off
from .answer import Answer
from .retrieve import METHODS, QueryError
from .store import STORES

BOLD = re.compile(r"\*\*(.+?)\*\*")


def main(argv: list[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    given = ("articles", "index", "store", "milvus_uri", "milvus_collection")
    settings = settings_module.load().with_flags(**{name: getattr(args, name, None) for name in given})
    try:
        return args.run(args, settings)
    except (RuntimeError, QueryError, FileNotFoundError) as error:  # IndexUnavailable is a RuntimeError
        print(f"错误：{error}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="qa", description="问答 over the articles")
    commands = parser.add_subparsers(required=True, metavar="COMMAND")
    indexed = argparse.ArgumentParser(add_help=False)
    indexed.add_argument("--index", type=Path, help="index folder (env QA_INDEX)")
    indexed.add_argument("--store", choices=STORES, help="FAISS files or a Milvus collection (env QA_STORE)")
    indexed.add_argument("--milvus-uri", help="a Milvus Lite file x.db or http://host:19530 (env QA_MILVUS_URI)")
    indexed.add_argument("--milvus-collection", help="the collection's name (env QA_MILVUS_COLLECTION)")
    sourced = argparse.ArgumentParser(add_help=False, parents=[indexed])
    sourced.add_argument("--articles", type=Path, help="folder of .txt .md .html .pdf .docx articles (env QA_ARTICLES)")

    index = commands.add_parser("index", help="build or update the index", parents=[sourced])
    index.add_argument("--full", action="store_true", help="re-embed every article")
    index.add_argument("--restore", metavar="VERSION", help="make a saved version live again (nothing is built)")
    index.set_defaults(run=_index)

    search = commands.add_parser("search", help="ranked passages for a question", parents=[indexed])
    search.add_argument("question")
    search.add_argument("-k", type=int, default=5)
    search.add_argument("--method", choices=METHODS, default="hybrid")
    search.add_argument("--json", action="store_true")
    search.set_defaults(run=_search)

    ask = commands.add_parser("ask", help="a cited answer to a question", parents=[indexed])
    ask.add_argument("question")
    ask.add_argument("-k", type=int, default=5, help="passages to read")
    ask.add_argument("--no-llm", action="store_true", help="extractive answer even if an LLM is configured")
    ask.add_argument("--json", action="store_true")
    ask.set_defaults(run=_ask)

    chat = commands.add_parser("chat", help="interactive questions with follow-ups", parents=[indexed])
    chat.set_defaults(run=_chat)

    evaluate = commands.add_parser("eval", help="answer accuracy on the question set or on CMRC2018", parents=[indexed])
    evaluate.add_argument("--set", type=Path, help="question set (JSON lines); default tests/data/questions.jsonl")
    evaluate.add_argument("--cmrc", type=Path, help="a CMRC2018 split, e.g. ../shared/bench/cmrc2018/dev")
    evaluate.add_argument("--limit", type=int)
    evaluate.add_argument("--absent", type=Path, help="with --cmrc: ask its questions of another split's passages")
    evaluate.add_argument("--tune", type=Path, help="choose the refusal threshold on a CMRC2018 split (trial)")
    evaluate.add_argument("--ablate", type=Path, help="each answer rule on and off: held-out seeds and this CMRC split")
    evaluate.set_defaults(run=_eval)

    train = commands.add_parser("train-reader", help="fine-tune the span reader on SQuAD-format Chinese data")
    train.add_argument("--data", type=Path, required=True, help="e.g. ../shared/train")
    train.add_argument("--epochs", type=float, default=2.0)
    train.add_argument("--out", type=Path, default=Path("reader-training"), help="checkpoints and the trained model")
    train.add_argument("--resume", action="store_true", help="go on from the checkpoint in --out")
    train.add_argument("--limit", type=int, help="first N questions only (a quick trial run)")
    train.add_argument("--init", type=Path, help="start from this trained reader (e.g. qa/models/reader)")
    train.add_argument("--lr", type=float, help="peak learning rate (default 3e-4)")
    train.add_argument("--negative-share", type=float, help="share of windows without the answer (default 0.25)")
    train.set_defaults(run=_train)

    serve = commands.add_parser("serve", help="the web page", parents=[sourced])
    serve.add_argument("--host", default="127.0.0.1", help="address to bind (default 127.0.0.1: this machine only)")
    serve.add_argument("--port", type=int, default=7860)
    serve.add_argument(
        "--auth", default=os.environ.get("QA_AUTH"), help="user:password for the page's login form (env QA_AUTH)"
    )
    serve.add_argument(
        "--read-only",
        action="store_true",
        default=os.environ.get("QA_READ_ONLY", "").lower() in ("1", "true", "yes"),
        help="no uploading or deleting articles from the page (env QA_READ_ONLY=1)",
    )
    serve.set_defaults(run=_serve)

    load = commands.add_parser("loadtest", help="drive the page's /ask API with concurrent clients", parents=[indexed])
    load.add_argument("--clients", default="1,5,20", help="comma-separated client counts, one round each")
    load.add_argument("--questions", type=int, default=20, help="questions per client")
    load.add_argument("--host", default="127.0.0.1", help="address the page under test binds (default 127.0.0.1)")
    load.add_argument("--port", type=int, help="port the page under test listens on (default: any free one)")
    load.set_defaults(run=_loadtest)

    bench = commands.add_parser("bench", help="retrieval benchmark on CMRC2018")
    bench.add_argument("--data", type=Path, help="e.g. ../shared/bench/cmrc2018/dev")
    bench.add_argument("--faiss", action="store_true", help="exact versus HNSW search time by collection size")
    bench.add_argument("--limit", type=int, help="first N questions only")
    bench.add_argument("--store", choices=STORES, help="milvus: Milvus's rankings of the same passages beside FAISS")
    bench.add_argument("--scale", type=int, metavar="N", help="N generated passages into Milvus Lite and FAISS")
    bench.add_argument("--tune", action="store_true", help="grid-search fusion weights on this split")
    bench.add_argument("--clean", action="store_true", help="our cleaner against trafilatura on the seeds as web pages")
    bench.set_defaults(run=_bench)
    return parser


def _index(args: argparse.Namespace, settings: settings_module.Settings) -> int:
    from .index import build, restore

    if args.restore:
        restore(settings.index, args.restore, settings)
        print(f"已恢复版本 {args.restore}：{settings.index}")
        return 0
    _, summary = build(settings, full=args.full, progress=sys.stderr.isatty())
    print(summary.line())
    return 0


def _search(args: argparse.Namespace, settings: settings_module.Settings) -> int:
    from .service import default_index

    hits = default_index(settings).search(args.question, args.k, args.method)
    if args.json:
        print(json.dumps([asdict(h) for h in hits], ensure_ascii=False, indent=1))
        return 0
    if not hits:
        print("没有找到相关段落")
    for rank, hit in enumerate(hits, 1):
        print(f"[{rank}] {hit.score:.3f}  {hit.doc_id}  {hit.title}")
        print("    " + hit.text.replace("\n", " ")[:200])
    return 0


def _ask(args: argparse.Namespace, settings: settings_module.Settings) -> int:
    from .service import ask, default_index

    result = ask(args.question, k=args.k, use_llm=not args.no_llm, index=default_index(settings))
    if args.json:
        print(json.dumps(asdict(result), ensure_ascii=False, indent=1))
    else:
        _print_answer(result)
    return 0


def _print_answer(result: Answer) -> None:
    print(_styled(result.text))
    if result.note:
        print(f"（{result.note}）")
    sources = result.citations or result.related
    if sources:
        print("\n来源：" if result.citations else "\n可能相关：")
    quotes = result.quotes or [""] * len(sources)
    for n, (hit, quote) in enumerate(zip(sources, quotes), 1):
        print(f"  [{n}] 《{hit.title}》 {hit.doc_id}")
        print(f"      {(quote or hit.text).replace(chr(10), ' ')[:120]}")


def _styled(text: str) -> str:
    """Markdown bold as terminal bold on a terminal (unless NO_COLOR is set), as plain text anywhere else."""
    bold = sys.stdout.isatty() and not os.environ.get("NO_COLOR")
    return BOLD.sub(lambda m: f"\033[1m{m[1]}\033[0m" if bold else m[1], text)


def _chat(args: argparse.Namespace, settings: settings_module.Settings) -> int:
    from .service import ask, default_index

    searched = default_index(settings)
    history: list[dict[str, str]] = []
    print("请输入问题（空行或 Ctrl-D 退出）")
    while True:
        try:
            question = input("问：").strip()
        except EOFError:
            return 0
        if not question:
            return 0
        try:
            result = ask(question, history, index=searched)
        except QueryError as error:
            print(f"错误：{error}")
            continue
        if result.query != question:
            print(f"（按“{result.query}”检索）")
        _print_answer(result)
        history += [{"role": "user", "content": result.query}, {"role": "assistant", "content": result.text}]


def _eval(args: argparse.Namespace, settings: settings_module.Settings) -> int:
    from . import evaluate
    from .service import default_index

    if args.ablate:
        print(evaluate.ablate(args.ablate, args.set or evaluate.DEFAULT_SET, settings, default_index(settings)))
        return 0
    if args.tune:
        print(evaluate.tune(args.tune, args.set or evaluate.DEFAULT_SET, settings, default_index(settings)))
        return 0
    if args.cmrc:
        print(evaluate.cmrc(args.cmrc, settings, args.limit, args.absent))
        return 0
    tallies, latencies = evaluate.question_set(args.set or evaluate.DEFAULT_SET, default_index(settings))
    print(evaluate.reader_line(settings.reader) + "\n\n" + evaluate.question_table(tallies, latencies))
    return 0


def _train(args: argparse.Namespace, settings: settings_module.Settings) -> int:
    from .train import Recipe, train

    changes = {"lr": args.lr, "negative_share": args.negative_share, "init": str(args.init) if args.init else None}
    recipe = Recipe(epochs=args.epochs, **{name: value for name, value in changes.items() if value is not None})
    card = train(args.data, args.out, recipe, resume=args.resume, limit=args.limit)
    print(f"阅读模型已写入 {args.out}（CMRC2018 trial EM {card['trial']['em']} / F1 {card['trial']['f1']}）")
    print(f"发布：复制 {args.out}/reader.safetensors 与 card.json 到 qa/models/reader/")
    return 0


def _serve(args: argparse.Namespace, settings: settings_module.Settings) -> int:
    from ui.app import serve

    from .load import port_taken
    from .service import default_index

    auth = None
    if args.auth:
        user, _, password = args.auth.partition(":")
        if not user or not password:
            print("错误：--auth 的格式是 用户名:密码", file=sys.stderr)
            return 2
        auth = (user, password)
    if args.host in ("0.0.0.0", "::"):
        warning = f"警告：绑定到 {args.host}，网络上的其他机器都能访问本页面"
        if not auth:
            warning += "；建议加上 --auth" if args.read_only else "并上传、删除文章；建议加上 --auth 或 --read-only"
        print(warning)
    default_index(settings)
    if port_taken(args.host, args.port):
        raise RuntimeError(f"端口 {args.port} 已被占用：请用 --port 换一个，或先停止占用它的程序")
    print(f"页面地址：http://{args.host}:{args.port}")
    serve(settings, args.host, args.port, auth, read_only=args.read_only)
    return 0


def _loadtest(args: argparse.Namespace, settings: settings_module.Settings) -> int:
    from . import load

    clients = [int(n) for n in args.clients.split(",") if n.strip()]
    rounds = load.run(settings, clients, args.questions, address=(args.host, args.port))
    print(load.table(rounds))
    return 1 if any(r.errors for r in rounds) else 0


def _bench(args: argparse.Namespace, settings: settings_module.Settings) -> int:
    from . import bench, cleanbench

    if args.clean:
        print(cleanbench.table(settings_module.PROJECT / "seeds"))
        return 0
    if args.faiss:
        print(bench.faiss_scaling())
        return 0
    if args.scale:
        from . import bench_milvus

        print(bench_milvus.scale(settings, args.scale))
        return 0
    if args.data is None:
        print("错误：请用 --data 指定 CMRC2018 数据目录", file=sys.stderr)
        return 2
    if args.tune:
        weights, mrr = bench.tune(args.data, settings, args.limit)
        print(f"best weights {weights}  MRR@10 {mrr:.4f}")
        return 0
    print(bench.table(bench.run(args.data, settings, args.limit)))
    print(bench.seed_timing(settings))
    return 0


if __name__ == "__main__":
    sys.exit(main())
