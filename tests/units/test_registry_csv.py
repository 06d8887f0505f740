"""Registry CSV rows with more cells than the header: a row error, never a crash."""

from __future__ import annotations

import pytest

from trienkhai.units.registry_io import RegistryError, read_csv


def test_a_row_with_extra_cells_is_a_row_error() -> None:
    text = "code,name\nso-a,Sở A\nso-b,Sở B,thừa\n"
    with pytest.raises(RegistryError) as caught:
        read_csv(text, source="dv.csv")
    assert "dv.csv, dòng 3" in str(caught.value.args[0]) and "nhiều ô" in str(caught.value.args[0])
