"""How fast and how big are the printed documents? Prints figures; changes nothing.

For every kind of document that has a builder, renders a realistic one (made and rolled back in
``workflows.documents.samples``) again and again, interleaved with a bare WeasyPrint render of a
plain text page of similar length, and prints the median and 95th percentile times, the ratio to
bare and the PDF sizes (``workflows.documents.benchmark``). Targets: within 2x the bare render,
under 100 KB; with ``--memory N``, resident memory growing by at most 10 MB over 1000 renders.

    manage.py bench_pdf [--rounds 20] [--warmup 3] [--json] [--memory 1000] [--qr-sizes]

Safe on a database in use: the few rows the samples need are rolled back before anything is
measured, and the measured renders may not query the database at all.
"""

import contextlib
import json
import logging

from django.core.management.base import BaseCommand, CommandError

from workflows.documents import benchmark, samples


class Command(BaseCommand):
    help = (
        "Time each kind of PDF document against a bare WeasyPrint render, and weigh it. "
        "Writes nothing to the database."
    )

    def add_arguments(self, parser):
        parser.add_argument("--rounds", type=int, default=20, help="Measured renders per kind.")
        parser.add_argument(
            "--warmup", type=int, default=3, help="Rounds rendered first and not counted."
        )
        parser.add_argument(
            "--json", action="store_true", dest="as_json", help="Print one JSON object."
        )
        parser.add_argument(
            "--memory",
            type=int,
            default=0,
            metavar="N",
            help="Also render N documents (cycling through the kinds) and report the growth "
            "of resident memory.",
        )
        parser.add_argument(
            "--qr-sizes",
            action="store_true",
            help="Also report the QR code of a worst-case seal in three encodings.",
        )

    def handle(self, *args, rounds, warmup, as_json, memory, qr_sizes, **options):
        if rounds < 1 or warmup < 0 or memory < 0:
            raise CommandError("--rounds must be at least 1, --warmup and --memory at least 0.")
        try:
            documents = samples.documents()
        except samples.NoScenario as error:
            raise CommandError(str(error)) from error
        if not documents:
            raise CommandError("No kind of document has a builder yet (contents.BUILDERS).")
        with _quiet_weasyprint():
            try:
                result = benchmark.measure(documents, rounds=rounds, warmup=warmup)
                if memory:
                    result["memory"] = benchmark.memory(documents, memory)
            except benchmark.DatabaseTouched as error:
                raise CommandError(str(error)) from error
        if qr_sizes:
            result["qr_sizes"] = benchmark.qr_sizes()
        if as_json:
            self.stdout.write(json.dumps(result, indent=2))
        else:
            self.write_report(result)

    def write_report(self, result):
        bare = result["bare"]
        self.stdout.write(
            f"{result['rounds']} measured renders of each document after {result['warmup']} "
            f"warm-up rounds, interleaved with a bare WeasyPrint render (default settings and "
            f"fonts) of {bare['chars']:,} characters of plain text on one page. Fonts are "
            f"subset with {result['font_subsetter']}."
        )
        self.stdout.write("")
        header = (
            f"{'document':24} {'p50 ms':>8} {'p95 ms':>8} {'x bare':>7} {'KB':>7} {'chars':>6}  "
            f"targets (<= {benchmark.TARGET_RATIO:g}x bare, < "
            f"{benchmark.TARGET_BYTES // 1000} KB)"
        )
        self.stdout.write(header)
        self.stdout.write("-" * len(header))
        self.stdout.write(_row("bare WeasyPrint", bare, 1.0) + f" {bare['chars']:>6}")
        for name, figures in result["documents"].items():
            verdict = "ok" if figures["meets_targets"] else _misses(figures)
            self.stdout.write(
                _row(name, figures, figures["ratio"]) + f" {figures['chars']:>6}  {verdict}"
            )
        if "memory" in result:
            self.write_memory(result["memory"])
        if "qr_sizes" in result:
            self.write_qr_sizes(result["qr_sizes"])

    def write_memory(self, figures):
        verdict = "ok" if figures["meets_target"] else "TOO MUCH"
        self.stdout.write("")
        self.stdout.write(
            f"Memory over {figures['renders']:,} renders: {figures['rss_after_warmup_mb']} MB "
            f"resident after {figures['warmup_renders']} warm-up renders, "
            f"{figures['rss_end_mb']} MB at the end, "
            f"{figures['growth_mb']:+} MB (target: at most {benchmark.TARGET_GROWTH_MB:g} MB "
            f"per 1,000 renders): {verdict}"
        )

    def write_qr_sizes(self, rows):
        self.stdout.write("")
        self.stdout.write(
            f"QR code of a worst-case seal, level M, printed {benchmark.QR_PRINTED_MM} mm wide "
            f"(without its quiet zone):"
        )
        header = (
            f"{'encoding':34} {'mode':13} {'code':>5} {'text':>5} {'version':>8} "
            f"{'modules':>8} {'module mm':>10}"
        )
        self.stdout.write(header)
        self.stdout.write("-" * len(header))
        for row in rows:
            self.stdout.write(
                f"{row['encoding']:34} {row['mode']:13} {row['code_chars']:>5} "
                f"{row['text_chars']:>5} {row['version']:>8} {row['modules']:>8} "
                f"{row['module_mm']:>10.3f}"
            )


def _row(name, figures, ratio) -> str:
    return (
        f"{name:24} {figures['p50_ms']:>8.1f} {figures['p95_ms']:>8.1f} {ratio:>6.2f}x "
        f"{figures['bytes'] / 1000:>7.1f}"
    )


def _misses(figures) -> str:
    misses = []
    if figures["ratio"] > benchmark.TARGET_RATIO:
        misses.append("TOO SLOW")
    if figures["bytes"] >= benchmark.TARGET_BYTES:
        misses.append("TOO BIG")
    return ", ".join(misses)


@contextlib.contextmanager
def _quiet_weasyprint():
    """WeasyPrint logs seven progress lines per render at INFO: thousands here, read by no one."""
    logger = logging.getLogger("weasyprint.progress")
    level = logger.level
    logger.setLevel(logging.WARNING)
    try:
        yield
    finally:
        logger.setLevel(level)
