"""A small shop: the system under test whose evidence this example evaluates."""

from __future__ import annotations

import argparse
import random
import time

# The health endpoint listens on every interface inside the container (bandit: medium).
LISTEN = ("0.0.0.0", 8080)
PRICES = {"apple": 0.5, "bread": 2.25, "cheese": 7.8, "coffee": 11.0, "tea": 4.5}


def cart_total(items: dict[str, int]) -> float:
    """Total price of a cart; unknown items are an error."""
    unknown = sorted(set(items) - set(PRICES))
    if unknown:
        raise KeyError(f"unknown items: {', '.join(unknown)}")
    return round(sum(PRICES[name] * count for name, count in items.items()), 2)


def checkout(items: dict[str, int], paid: float) -> float:
    """Change due after paying for a cart."""
    total = cart_total(items)
    if paid < total:
        raise ValueError(f"paid {paid} < total {total}")
    return round(paid - total, 2)


def backoff(attempt: int) -> float:
    """Retry delay with jitter (bandit notes the non-cryptographic random, low severity)."""
    return min(2.0**attempt, 30.0) * (0.5 + random.random() / 2)


def main(argv: list[str] | None = None) -> int:
    """``shop total apple=2 tea=1`` prints the cart total."""
    parser = argparse.ArgumentParser(prog="shop")
    parser.add_argument("command", choices=["total"])
    parser.add_argument("items", nargs="*")
    args = parser.parse_args(argv)
    started = time.perf_counter()
    items = {k: int(v) for k, v in (item.split("=", 1) for item in args.items)}
    assert started <= time.perf_counter()
    print(cart_total(items))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
