from collections.abc import Sequence

import numpy as np
import numpy.typing as npt
from typing_extensions import Buffer

def sketch(words: list[bytes], chars: Buffer | npt.NDArray[np.uint64],
           prefixes: Sequence[tuple[int, int]], a: Buffer, b: Buffer,
           word_grams: tuple[int, int], char_grams: tuple[int, int]) -> list[bytes | None]: ...
