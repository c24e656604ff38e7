#include "clinsight/model/scorableimage.h"

#include "clinsight/imaging/rasterfile.h"

namespace cs {

Result<ScorableImage> loadScorableImage(const QString &path)
{
    ScorableImage s;
    s.path = path;
    if (looksLikeRasterFile(path)) {
        auto f = readGreyImage(path);
        if (!f) return f.error();
        s.frame = std::move(f.value());
        return s;
    }
    auto src = DicomImageSource::open(path);
    if (!src) return src.error();
    auto f = src->render(0);
    if (!f) return f.error();
    s.frame = std::move(f.value());
    s.dicom = src->info();
    return s;
}

} // namespace cs
