#include "clinsight/training/baselines.h"

#include <opencv2/core.hpp>
#include <opencv2/ml.hpp>

#include <QDir>
#include <algorithm>
#include <random>

namespace cs {

namespace {
cv::Mat toMat(const std::vector<std::vector<float>> &x)
{
    const int d = x.empty() ? 0 : int(x[0].size());
    cv::Mat m(int(x.size()), d, CV_32F);
    for (int i = 0; i < m.rows; ++i) std::copy(x[i].begin(), x[i].end(), m.ptr<float>(i));
    return m;
}
} // namespace

Result<QJsonObject> trainBaselines(const std::vector<std::vector<float>> &x, const std::vector<int> &y,
                                   const QString &dir, const QString &prefix, int maxPerClass, std::uint64_t seed)
{
    std::vector<int> pos, neg;
    for (int i = 0; i < int(y.size()); ++i) (y[i] ? pos : neg).push_back(i);
    if (pos.empty() || neg.empty())
        return makeError(Error::Code::Invalid, dir, prefix, QStringLiteral("baselines need both classes"));
    std::mt19937_64 rng(seed);
    std::shuffle(pos.begin(), pos.end(), rng);
    std::shuffle(neg.begin(), neg.end(), rng);
    const int n = std::min<int>({maxPerClass, int(pos.size()), int(neg.size())});
    std::vector<std::vector<float>> xs;
    std::vector<int> ys;
    for (int k = 0; k < n; ++k) {
        xs.push_back(x[pos[k]]); ys.push_back(1);
        xs.push_back(x[neg[k]]); ys.push_back(0);
    }
    const cv::Mat X = toMat(xs);
    cv::Mat Yf(int(ys.size()), 1, CV_32F), Yi(int(ys.size()), 1, CV_32S);
    for (int i = 0; i < int(ys.size()); ++i) { Yf.at<float>(i) = float(ys[i]); Yi.at<int>(i) = ys[i]; }
    QJsonObject settings;
    try {
        cv::setRNGSeed(int(seed & 0x7fffffff));
        auto lr = cv::ml::LogisticRegression::create();
        lr->setLearningRate(0.05);
        lr->setIterations(300);
        lr->setRegularization(cv::ml::LogisticRegression::REG_L2);
        lr->setTrainMethod(cv::ml::LogisticRegression::MINI_BATCH);
        lr->setMiniBatchSize(64);
        lr->train(X, cv::ml::ROW_SAMPLE, Yf);
        lr->save(QDir(dir).filePath(prefix + "_lr.yml.gz").toStdString());

        const int svmN = std::min(X.rows, 2000);  // libsvm is quadratic in samples
        auto svm = cv::ml::SVM::create();
        svm->setType(cv::ml::SVM::C_SVC);
        svm->setKernel(cv::ml::SVM::RBF);
        svm->setC(1.0);
        svm->setGamma(1.0 / std::max(1, X.cols));
        svm->train(X.rowRange(0, svmN), cv::ml::ROW_SAMPLE, Yi.rowRange(0, svmN));
        svm->save(QDir(dir).filePath(prefix + "_svm.yml.gz").toStdString());
        // OpenCV's raw SVM output sign depends on label order: orient it on the training data.
        cv::Mat raw;
        svm->predict(X.rowRange(0, svmN), raw, cv::ml::StatModel::RAW_OUTPUT);
        double agree = 0;
        for (int i = 0; i < svmN; ++i) agree += (raw.at<float>(i) > 0) == (ys[i] == 1) ? 1 : -1;

        auto rf = cv::ml::RTrees::create();
        rf->setMaxDepth(10);
        rf->setMinSampleCount(5);
        rf->setTermCriteria(cv::TermCriteria(cv::TermCriteria::MAX_ITER, 60, 0));
        rf->setCalculateVarImportance(false);
        rf->train(X, cv::ml::ROW_SAMPLE, Yi);
        rf->save(QDir(dir).filePath(prefix + "_rf.yml.gz").toStdString());

        settings.insert("lr", prefix + "_lr.yml.gz");
        settings.insert("svm", prefix + "_svm.yml.gz");
        settings.insert("svm_sign", agree >= 0 ? 1 : -1);
        settings.insert("rf", prefix + "_rf.yml.gz");
        settings.insert("training_rows", X.rows);
        settings.insert("note", QStringLiteral("trained on a class-balanced subsample of the training split; SVM on the first %1 rows").arg(svmN));
    } catch (const cv::Exception &e) {
        return makeError(Error::Code::Internal, dir, prefix, QString::fromStdString(e.msg));
    }
    return settings;
}

Result<std::vector<BaselineScores>> scoreBaselines(const QString &dir, const QJsonObject &s,
                                                   const std::vector<std::vector<float>> &x)
{
    std::vector<BaselineScores> out;
    const cv::Mat X = toMat(x);
    try {
        auto lr = cv::ml::LogisticRegression::load(QDir(dir).filePath(s.value("lr").toString()).toStdString());
        cv::Mat p;
        lr->predict(X, p, cv::ml::StatModel::RAW_OUTPUT);
        BaselineScores b{QStringLiteral("logistic regression"), {}, 0.5};
        for (int i = 0; i < X.rows; ++i) b.score.push_back(p.at<float>(i));
        out.push_back(b);

        auto svm = cv::ml::SVM::load(QDir(dir).filePath(s.value("svm").toString()).toStdString());
        cv::Mat raw;
        svm->predict(X, raw, cv::ml::StatModel::RAW_OUTPUT);
        BaselineScores sv{QStringLiteral("SVM (RBF)"), {}, 0.0};
        const double sign = s.value("svm_sign").toInt(1);
        for (int i = 0; i < X.rows; ++i) sv.score.push_back(sign * raw.at<float>(i));
        out.push_back(sv);

        auto rf = cv::ml::RTrees::load(QDir(dir).filePath(s.value("rf").toString()).toStdString());
        cv::Mat votes;
        rf->getVotes(X, votes, 0);
        BaselineScores r{QStringLiteral("random forest"), {}, 0.5};
        int col1 = 1;
        for (int c = 0; c < votes.cols; ++c) if (votes.at<int>(0, c) == 1) col1 = c;
        for (int i = 0; i < X.rows; ++i) {
            double tot = 0;
            for (int c = 0; c < votes.cols; ++c) tot += votes.at<int>(i + 1, c);
            r.score.push_back(tot > 0 ? votes.at<int>(i + 1, col1) / tot : 0.0);
        }
        out.push_back(r);
    } catch (const cv::Exception &e) {
        return makeError(Error::Code::Format, dir, QStringLiteral("baselines"), QString::fromStdString(e.msg));
    }
    if (s.contains(QLatin1String("gbt"))) {
        auto g = scoreGradientBoosting(dir, s, x);
        if (!g) return g.error();
        out.push_back({QStringLiteral("gradient-boosted trees"), std::move(g.value()), 0.5});
    }
    return out;
}

} // namespace cs
