"""Settings for bench/serving_bench.py: production settings plus one extra view."""

from medinfo.settings import *  # noqa: F403

ROOT_URLCONF = "bench.serving_urls"
