#include "lodestone/clipmodel.h"
#include "lodestone/error.h"
#include "lodestone/image.h"
#include "lodestone/query.h"

namespace lodestone {

int ModelEmbedder::dim() const
{
    return m_model.embedDim();
}

float ModelEmbedder::logitScale() const
{
    return m_model.logitScale();
}

FloatArray ModelEmbedder::embedTexts(const std::vector<std::string> &texts) const
{
    if (texts.empty())
        return FloatArray({0, dim()});
    FloatArray rows = m_model.encodeText(texts);
    normalizeRows(rows);
    return rows;
}

FloatArray ModelEmbedder::embedImages(const std::vector<std::string> &paths) const
{
    if (paths.empty())
        return FloatArray({0, dim()});
    FloatArray rows = m_model.encodeImage(preprocessFiles(paths, m_model.config().preprocess));
    normalizeRows(rows);
    return rows;
}

} // namespace lodestone
