#pragma once
// Writes a large multi-frame greyscale study for the cine tests: a valid
// DICOM Part 10 file (Explicit VR Little Endian, Multi-frame Grayscale Word
// Secondary Capture), 16-bit frames whose content moves from frame to frame.
// Written here rather than shipped: 100+ MB of pixels.
#include "../common/dicomwriter.h"

#include <QFile>
#include <QString>
#include <cstdint>

namespace testdata {

inline bool writeMultiFrame(const QString &path, int frames, int rows, int cols)
{
    const QByteArray sopClass = "1.2.840.10008.5.1.4.1.1.7.3", sop = "1.2.826.0.1.3680043.10.1234.1.1", ts = "1.2.840.10008.1.2.1";
    const QByteArray head = partTenHeader(sopClass, sop, ts);
    QByteArray ds;
    element(ds, 0x0008, 0x0016, "UI", sopClass);
    element(ds, 0x0008, 0x0018, "UI", sop);
    element(ds, 0x0008, 0x0060, "CS", "OT");
    element(ds, 0x0010, 0x0010, "PN", "Cine^Test");
    element(ds, 0x0010, 0x0020, "LO", "CINE-1");
    element(ds, 0x0020, 0x000d, "UI", "1.2.826.0.1.3680043.10.1234.2");
    element(ds, 0x0020, 0x000e, "UI", "1.2.826.0.1.3680043.10.1234.3");
    element(ds, 0x0028, 0x0002, "US", us(1));
    element(ds, 0x0028, 0x0004, "CS", "MONOCHROME2");
    element(ds, 0x0028, 0x0008, "IS", QByteArray::number(frames));
    element(ds, 0x0028, 0x0010, "US", us(quint16(rows)));
    element(ds, 0x0028, 0x0011, "US", us(quint16(cols)));
    element(ds, 0x0028, 0x0100, "US", us(16));
    element(ds, 0x0028, 0x0101, "US", us(12));
    element(ds, 0x0028, 0x0102, "US", us(11));
    element(ds, 0x0028, 0x0103, "US", us(0));
    element(ds, 0x0028, 0x1050, "DS", "2048");
    element(ds, 0x0028, 0x1051, "DS", "4096");
    QFile f(path);
    if (!f.open(QIODevice::WriteOnly)) return false;
    f.write(head);
    f.write(ds);
    const qint64 bytes = qint64(frames) * rows * cols * 2;
    QByteArray pixHead;
    auto u16 = [&pixHead](quint16 x) { pixHead.append(char(x & 0xff)); pixHead.append(char(x >> 8)); };
    u16(0x7fe0); u16(0x0010); pixHead.append("OW", 2); u16(0);
    for (int i = 0; i < 4; ++i) pixHead.append(char((bytes >> (8 * i)) & 0xff));
    f.write(pixHead);
    QByteArray frame(rows * cols * 2, '\0');
    for (int k = 0; k < frames; ++k) {
        auto *p = reinterpret_cast<quint16 *>(frame.data());
        for (int y = 0; y < rows; ++y)
            for (int x = 0; x < cols; ++x) p[y * cols + x] = quint16(((x + y + 37 * k) * 7) & 0x0fff);
        f.write(frame);
    }
    return f.error() == QFile::NoError;
}

} // namespace testdata
