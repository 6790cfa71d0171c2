import golive


def test_all_is_sorted_and_complete() -> None:
    assert golive.__all__ == sorted(golive.__all__)
    for name in golive.__all__:
        assert hasattr(golive, name)
