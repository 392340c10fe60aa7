"""Small CPU workloads that hyperfine times as whole processes (see perf-lens.config.json)."""
import json
import sys


def sort_numbers(n):
    return sorted((i * 7919) % n for i in range(n))


class Codec:
    def roundtrip(self, n):
        doc = {"items": list(range(n))}
        return json.loads(json.dumps(doc))


if __name__ == "__main__":
    which = sys.argv[1]
    n = int(sys.argv[2])
    if which == "sort":
        sort_numbers(n)
    else:
        Codec().roundtrip(n)
