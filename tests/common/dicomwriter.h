#pragma once
// Test-only DICOM Part 10 writing (Explicit VR Little Endian): the element
// encoder the generated test studies share, and one greyscale single-frame
// image with the attributes a display pipeline reads. Written byte by byte
// so a test controls every attribute; reading is DCMTK's job.
#include <QByteArray>
#include <QFile>
#include <QString>
#include <cstdint>
#include <vector>

namespace testdata {

inline void element(QByteArray &out, quint16 group, quint16 elem, const char *vr, const QByteArray &value)
{
    QByteArray v = value;
    if (v.size() % 2) v.append(QByteArray(vr) == "UI" || QByteArray(vr) == "OB" ? '\0' : ' ');
    auto u16 = [&out](quint16 x) { out.append(char(x & 0xff)); out.append(char(x >> 8)); };
    auto u32 = [&out](quint32 x) { for (int i = 0; i < 4; ++i) out.append(char((x >> (8 * i)) & 0xff)); };
    u16(group); u16(elem); out.append(vr, 2);
    const QByteArray longVr[] = {"OB", "OW", "SQ", "UN", "UT", "UC", "UR"};
    bool isLong = false;
    for (const auto &l : longVr) isLong |= l == vr;
    if (isLong) { u16(0); u32(quint32(v.size())); }
    else u16(quint16(v.size()));
    out.append(v);
}
inline QByteArray us(quint16 x) { QByteArray b; b.append(char(x & 0xff)); b.append(char(x >> 8)); return b; }

// Preamble, "DICM" and the file meta group (group length, version, SOP class and instance, transfer syntax).
inline QByteArray partTenHeader(const QByteArray &sopClass, const QByteArray &sop, const QByteArray &ts)
{
    QByteArray meta;
    element(meta, 0x0002, 0x0001, "OB", QByteArray("\x00\x01", 2));
    element(meta, 0x0002, 0x0002, "UI", sopClass);
    element(meta, 0x0002, 0x0003, "UI", sop);
    element(meta, 0x0002, 0x0010, "UI", ts);
    QByteArray out(128, '\0');
    out.append("DICM");
    QByteArray len;
    for (int i = 0; i < 4; ++i) len.append(char((meta.size() >> (8 * i)) & 0xff));
    element(out, 0x0002, 0x0000, "UL", len);
    out.append(meta);
    return out;
}

struct GreyImage {
    QByteArray modality = "CR", photometric = "MONOCHROME2", bodyPart = "CHEST";
    int rows = 0, cols = 0, bitsStored = 8;     // bitsAllocated: 8 when bitsStored is 8, else 16
    QByteArray windowCenter, windowWidth;       // empty: none
    std::vector<quint16> pixels;                // rows x cols
};

inline bool writeGreyImage(const QString &path, const GreyImage &im)
{
    const QByteArray sopClass = "1.2.840.10008.5.1.4.1.1.1", sop = "1.2.826.0.1.3680043.10.1234.7.1", ts = "1.2.840.10008.1.2.1";
    QByteArray out = partTenHeader(sopClass, sop, ts);
    const bool eight = im.bitsStored <= 8;
    element(out, 0x0008, 0x0016, "UI", sopClass);
    element(out, 0x0008, 0x0018, "UI", sop);
    element(out, 0x0008, 0x0060, "CS", im.modality);
    element(out, 0x0010, 0x0010, "PN", "Parity^Test");
    element(out, 0x0010, 0x0020, "LO", "PARITY-1");
    element(out, 0x0018, 0x0015, "CS", im.bodyPart);
    element(out, 0x0020, 0x000d, "UI", "1.2.826.0.1.3680043.10.1234.7.2");
    element(out, 0x0020, 0x000e, "UI", "1.2.826.0.1.3680043.10.1234.7.3");
    element(out, 0x0028, 0x0002, "US", us(1));
    element(out, 0x0028, 0x0004, "CS", im.photometric);
    element(out, 0x0028, 0x0010, "US", us(quint16(im.rows)));
    element(out, 0x0028, 0x0011, "US", us(quint16(im.cols)));
    element(out, 0x0028, 0x0100, "US", us(eight ? 8 : 16));
    element(out, 0x0028, 0x0101, "US", us(quint16(im.bitsStored)));
    element(out, 0x0028, 0x0102, "US", us(quint16(im.bitsStored - 1)));
    element(out, 0x0028, 0x0103, "US", us(0));
    if (!im.windowCenter.isEmpty()) element(out, 0x0028, 0x1050, "DS", im.windowCenter);
    if (!im.windowWidth.isEmpty()) element(out, 0x0028, 0x1051, "DS", im.windowWidth);
    QByteArray px;
    for (quint16 v : im.pixels) {
        px.append(char(v & 0xff));
        if (!eight) px.append(char(v >> 8));
    }
    element(out, 0x7fe0, 0x0010, eight ? "OB" : "OW", px);
    QFile f(path);
    return f.open(QIODevice::WriteOnly) && f.write(out) == out.size();
}

} // namespace testdata
