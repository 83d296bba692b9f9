"""classify_many: parallel, order kept, the GIL released."""

from __future__ import annotations

import threading
import time

import aitag


def test_jobs_do_not_change_results_or_order(records, tagger):
    texts = [r["text"] for r in records]
    # Longest first, so that threads finish out of order.
    texts = sorted(texts, key=len, reverse=True)
    one = tagger.classify_many(texts, jobs=1)
    assert tagger.classify_many(texts, jobs=2) == one
    assert tagger.classify_many(texts, jobs=7) == one
    assert tagger.classify_many(texts) == one
    assert tagger.classify_many(iter(texts[:50]), jobs=3) == one[:50]
    assert [tagger.classify(t) for t in texts[:50]] == one[:50]
    assert tagger.classify_many([], jobs=2) == []


def test_the_gil_is_released_while_texts_are_classified(records, tagger):
    # One long text takes the engine a while; a Python thread that only
    # counts must be able to run meanwhile, which it cannot if the GIL is held.
    text = " ".join(r["text"] for r in records[:500])
    ticks = []
    stop = threading.Event()

    def count():
        while not stop.is_set():
            ticks.append(time.perf_counter())
            time.sleep(0.0005)

    counter = threading.Thread(target=count)
    counter.start()
    time.sleep(0.05)
    start = time.perf_counter()
    tagger.classify_json(text)
    end = time.perf_counter()
    stop.set()
    counter.join()
    assert end - start > 0.05, "the text is too short to measure"
    margin = (end - start) / 5
    during = [t for t in ticks if start + margin < t < end - margin]
    assert len(during) >= 5, f"{len(during)} ticks in {end - start:.3f} s"


def test_two_python_threads_share_one_tagger(records, tagger):
    texts = [r["text"] for r in records[:400]]
    expected = tagger.classify_many(texts, jobs=1)
    got = {}

    def work(name, part):
        got[name] = tagger.classify_many(part, jobs=1)

    threads = [
        threading.Thread(target=work, args=("a", texts[:200])),
        threading.Thread(target=work, args=("b", texts[200:])),
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert got["a"] + got["b"] == expected
