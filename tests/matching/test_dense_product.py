"""dense_product equals scipy's sparse product made dense, bit for bit."""
from __future__ import annotations

import numpy as np
import pytest
import scipy.sparse as sp

from exchange.matching.vectors import dense_product


@pytest.mark.parametrize("density", [0.0, 0.02, 0.3])
def test_dense_product_equals_the_sparse_product_made_dense(density):
    a = sp.random(40, 300, density=density, format="csr", dtype=np.float32, random_state=1)
    b = sp.random(300, 500, density=0.05, format="csr", dtype=np.float32, random_state=2)
    assert np.array_equal(dense_product(a, b), (a @ b).toarray())
