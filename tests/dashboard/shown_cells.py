"""What a table of the app shows in the browser, read from its AppTest element."""

from __future__ import annotations

import pandas as pd
from streamlit import dataframe_util
from streamlit.testing.v1.element_tree import Dataframe

STREAMLIT_MISSING = "None"  # drawn for a missing cell when st.dataframe has no placeholder


def shown_cells(table: Dataframe) -> pd.DataFrame:
    """The cells as text, as the browser draws them.

    A missing cell shows the table's placeholder (Streamlit's own ``None`` without one), even in
    a styled table; other cells show the styler's text, else their value.
    """
    values = table.value
    styled = table.proto.arrow_data.styler.display_values
    text = dataframe_util.convert_arrow_bytes_to_pandas_df(styled) if styled else values.astype(str)
    proto = table.proto
    placeholder = proto.placeholder if proto.HasField("placeholder") else STREAMLIT_MISSING
    return text.where(~values.isna().to_numpy(), placeholder)
