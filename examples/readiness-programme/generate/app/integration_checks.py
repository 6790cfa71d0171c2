"""Integration checks of the shop (50 cases); one is flaky on purpose (fails in run 2)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from shop import PRICES, cart_total, checkout

CARTS = [{name: n} for name in PRICES for n in range(1, 9)]  # 40 carts


@pytest.mark.parametrize("cart", CARTS, ids=lambda c: "-".join(f"{k}{v}" for k, v in c.items()))
def test_cart_total(cart: dict[str, int]) -> None:
    [(name, count)] = cart.items()
    assert cart_total(cart) == round(PRICES[name] * count, 2)


@pytest.mark.parametrize("paid", [10.0, 20.0, 50.0, 100.0, 200.0])
def test_checkout_change(paid: float) -> None:
    assert checkout({"bread": 2}, paid) == round(paid - 4.5, 2)


def test_unknown_item_is_refused() -> None:
    with pytest.raises(KeyError, match="unknown items: caviar"):
        cart_total({"caviar": 1})


def test_underpaying_is_refused() -> None:
    with pytest.raises(ValueError, match="paid 1.0 < total"):
        checkout({"cheese": 1}, 1.0)


def test_cli_total() -> None:
    app = Path(__file__).parent / "shop.py"
    out = subprocess.run(
        [sys.executable, str(app), "total", "apple=2", "tea=1"],
        text=True,
        capture_output=True,
        check=True,
    )
    assert out.stdout.strip() == "5.5"


def test_payment_gateway_roundtrip() -> None:
    # Stands in for a test that depends on a slow sandbox: it timed out in run 2.
    assert os.environ.get("GOLIVE_EXAMPLE_RUN") != "2", "payment sandbox timed out"


def test_inventory_sync() -> None:
    assert sum(PRICES.values()) > 0
