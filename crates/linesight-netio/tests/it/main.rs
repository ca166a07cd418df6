//! Integration tests of linesight-netio: readers on small inline files, and networkx parity on
//! the real criminal networks when the shared datasets are present.

mod inputs;
mod reference;
