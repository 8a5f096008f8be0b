#pragma once
// The measured CSV of the reference runners. The row type lives in validation (validation/measured_case.hpp)
// and the writer and reader in io (io/published/measured_csv.hpp), so `infersim validate --measured` reads a
// CSV from any runner on a build without OpenBLAS; these names keep the runners' spelling.
#include "io/published/measured_csv.hpp"
#include "validation/measured_case.hpp"

namespace infersim::ref {

using Family = KernelFamily;
using infersim::family_name;
using infersim::kMeasuredCsvHeader;
using infersim::MeasuredRow;
using infersim::write_measured_csv;
using infersim::write_measured_csv_file;

}  // namespace infersim::ref
