"""How many notifications per second does one worker send, and does the citizen at the counter
ever wait for an SMS? Prints figures; touches no database or Redis in use.

Makes a scratch PostgreSQL database (``gup_bench_outbox_<pid>``) and a private Redis, fills
them with a few hundred realistic dossiers, then measures (``workflows.outbox_benchmark``):

- the drain: one RQ worker (``manage.py rqworker``, forking) sending N SMS owed through the
  outbox, with the console backend, against the same worker running N jobs that do nothing
  (RQ's own cost);
- the filing POST at the counter with Redis up, with Redis down, and without an outbox at all.

    manage.py bench_outbox [--messages 1000] [--posts 30] [--warmup 3] [--dossiers 200]
                           [--drain-rounds 4] [--json]

The scratch database is dropped at the end, also after an error, Ctrl-C or SIGTERM. Needs
PostgreSQL (refused on SQLite) and the ``redis-server`` binary.
"""

import json
import signal

from django.core.management.base import BaseCommand, CommandError

from workflows import outbox_benchmark as benchmark


class Command(BaseCommand):
    help = (
        "Time one RQ worker draining N outbox SMS (console backend) against N no-op jobs, and "
        "the counter filing POST with Redis up, down, and without an outbox. Works on a scratch "
        "PostgreSQL database and a private Redis, both removed afterwards."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--messages", type=int, default=1000, help="SMS owed and drained (and no-op jobs)."
        )
        parser.add_argument("--posts", type=int, default=30, help="Measured POSTs per mode.")
        parser.add_argument(
            "--warmup", type=int, default=3, help="Rounds of POSTs made first and not counted."
        )
        parser.add_argument(
            "--dossiers", type=int, default=200, help="Dossiers walked through their lives first."
        )
        parser.add_argument(
            "--drain-rounds",
            type=int,
            default=benchmark.DRAIN_ROUNDS,
            help="Rounds in which the SMS and the no-op jobs take turns.",
        )
        parser.add_argument(
            "--json", action="store_true", dest="as_json", help="Print one JSON object."
        )

    def handle(self, *args, messages, posts, warmup, dossiers, drain_rounds, as_json, **options):
        if messages < 2 or min(posts, dossiers, drain_rounds) < 1 or warmup < 0:
            raise CommandError(
                "--messages must be at least 2; --posts, --dossiers and --drain-rounds at least "
                "1; --warmup at least 0."
            )
        quiet = options["verbosity"] == 0

        def say(line):
            if not quiet:
                self.stderr.write(line)

        # SIGTERM unwinds like Ctrl-C, so that the scratch database is dropped either way.
        terminate = signal.signal(signal.SIGTERM, signal.default_int_handler)
        try:
            result = benchmark.run(
                messages_count=messages,
                posts=posts,
                warmup=warmup,
                dossiers=dossiers,
                drain_rounds=drain_rounds,
                say=say,
            )
        except benchmark.NotPostgreSQL as error:
            raise CommandError(str(error)) from error
        except benchmark.BenchmarkFailed as error:
            raise CommandError(f"The figures were not kept: {error}") from error
        except KeyboardInterrupt:
            raise CommandError("Interrupted; the scratch database was dropped.") from None
        finally:
            signal.signal(signal.SIGTERM, terminate)
        if as_json:
            self.stdout.write(json.dumps(result, indent=2))
        else:
            self.write_report(result)

    def write_report(self, result):
        data, drain = result["data"], result["drain"]
        self.stdout.write(
            f"Scratch database with {data['dossiers']} dossiers filed at the counters over two "
            f"years ({data['finished']} finished), {data['history_rows']:,} history rows, "
            f"{data['attachments']:,} attachments, {data['outbox_rows']:,} outbox rows; built in "
            f"{data['seconds']} s, then dropped."
        )
        machine = result["machine"]
        self.stdout.write(
            f"{machine['cpus']} CPUs, load average {machine['load_average']} before and "
            f"{machine['load_after']} after: on a busy machine, read the ratios to the floors "
            f"rather than the milliseconds."
        )
        self.stdout.write("")
        self.stdout.write(
            f"Drain: one worker (manage.py rqworker notifications --burst, forking), console SMS "
            f"backend, after a warm-up of {drain['warmup']}; the SMS and the no-op jobs take "
            f"turns in {drain['rounds']} rounds; timed from each run's first job to its last."
        )
        header = f"{'':28} {'jobs':>6} {'per second':>11} {'ms each':>8} {'wall s':>7}"
        self.stdout.write(header)
        self.stdout.write("-" * len(header))
        rows = (
            ("SMS notifications", drain["per_second"], drain["wall_seconds"]),
            ("no-op jobs (floor)", drain["floor_jobs_per_second"], drain["floor_wall_seconds"]),
        )
        for label, rate, wall in rows:
            self.stdout.write(
                f"{label:28} {drain['messages']:>6} {rate:>11.1f} {1000 / rate:>8.1f} {wall:>7.1f}"
            )
        self.stdout.write(
            f"(wall: the worker processes' whole runs, their start included.) Checked: every "
            f"message done after one attempt, each SMS written once. Owing them and relaying "
            f"them at commit ran at {drain['owed_and_relayed_per_second']:.0f} per second."
        )
        self.stdout.write("")
        self.stdout.write(
            f"Filing POST at the counter ({benchmark.FILING_SERVICE}, two attachments): "
            f"{result['posts']} per mode after {result['warmup']} warm-up rounds, the modes "
            f"taking turns."
        )
        header = f"{'':28} {'p50 ms':>8} {'p95 ms':>8}"
        self.stdout.write(header)
        self.stdout.write("-" * len(header))
        for mode, figures in result["filing_post_ms"].items():
            self.stdout.write(
                f"{benchmark.MODE_LABELS[mode]:28} {figures['p50']:>8.1f} {figures['p95']:>8.1f}"
            )
        self.stdout.write(
            "Checked: no SMS sent during the POSTs; each filing owes its SMS, queued with Redis "
            "up, waiting for the sweeper with Redis down."
        )
