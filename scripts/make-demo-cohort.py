#!/usr/bin/python3
"""Builds resources/demo/ (the bundled demo cohort) from the public data in
../shared/data. Deterministic: stays and images are picked by fixed rules in
sorted order; the "septic" stays are the first candidates that the shipped model
flags at the right hours (from 12 h before to 3 h after the clinical onset, which
PhysioNet 2019 places 6 h after the first SepsisLabel), judged by running
`clinsight-cli predict-vitals`. Run once by a developer:
    python3 scripts/make-demo-cohort.py BUILD_DIR/app/clinsight-cli [DATA_DIR]
The result is committed with its attribution (resources/demo/ATTRIBUTION.md)."""
import csv, json, os, shutil, subprocess, sys, tempfile

root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
cli = sys.argv[1]
data = sys.argv[2] if len(sys.argv) > 2 else os.path.join(root, '..', 'shared', 'data')
model = os.path.join(root, 'models', 'clinsight-hybrid')
out = os.path.join(root, 'resources', 'demo')
psv_dir = os.path.join(data, 'vitals', 'physionet2019', 'training_setB')
cxr = os.path.join(data, 'cxr', 'kermany224', 'train')
dicom = os.path.join(data, 'dicom')

def stay(path):
    with open(path) as f:
        rows = [l.rstrip('\n').split('|') for l in f]
    head, body = rows[0], rows[1:]
    col = {n: i for i, n in enumerate(head)}
    hr = sum(1 for r in body if r[col['HR']] != 'NaN')
    sepsis = any(r[col['SepsisLabel']] == '1' for r in body)
    return len(body), hr, sepsis

def first_label(path):
    with open(path) as f:
        rows = [l.rstrip('\n').split('|') for l in f]
    col = rows[0].index('SepsisLabel')
    return next(i for i, r in enumerate(rows[1:]) if r[col] == '1')

def flagged_in_time(names):
    """The candidates the shipped model alerts from onset - 12 h to onset + 3 h."""
    with tempfile.TemporaryDirectory() as tmp:
        for n in names:
            shutil.copy(os.path.join(psv_dir, n), tmp)
        pred = os.path.join(tmp, 'pred.csv')
        subprocess.run([cli, 'predict-vitals', tmp, '--model', model, '--out', pred], check=True)
        alerts = {}
        with open(pred) as f:
            for row in csv.DictReader(f):
                if row['alert'] == '1':
                    alerts.setdefault(row['stay'], []).append(int(row['hour']))
    ok = []
    for n in names:
        onset = first_label(os.path.join(psv_dir, n)) + 6
        key = os.path.splitext(n)[0]
        hours = alerts.get(key, alerts.get(n, []))
        if any(onset - 12 <= h <= onset + 3 for h in hours):
            ok.append(n)
    return ok

def pick_stays():
    want = {'septic': [], 'quiet': [], 'sparse': []}
    candidates = []
    for name in sorted(os.listdir(psv_dir))[2000:]:
        n, hr, sepsis = stay(os.path.join(psv_dir, name))
        if sepsis and 30 <= n <= 60 and hr >= 0.9 * n and len(candidates) < 40:
            candidates.append(name)
        elif not sepsis and 24 <= n <= 48 and hr >= 0.9 * n and len(want['quiet']) < 5:
            want['quiet'].append(name)
        elif not sepsis and n >= 20 and hr <= 0.3 * n and len(want['sparse']) < 1:
            want['sparse'].append(name)
        if len(candidates) >= 40 and len(want['quiet']) >= 5 and len(want['sparse']) >= 1:
            break
    want['septic'] = flagged_in_time(candidates)[:4]
    if len(want['septic']) < 4:
        sys.exit('fewer than 4 of %d septic candidates are flagged in time by the model' % len(candidates))
    return want

def pick_images():
    pos, neg = [], []
    with open(os.path.join(cxr, 'labels.csv')) as f:
        for row in csv.DictReader(f):
            (pos if row['pneumonia'] == '1' else neg).append(row['file'])
    return pos[100:104], neg[100:104]

stays = pick_stays()
pos, neg = pick_images()
patients = [
    ('demo01-septic-pneumonia', 'High-risk: sepsis-labelled ICU stay with a pneumonia radiograph',
     [('cxr', pos[0])], stays['septic'][0]),
    ('demo02-low-risk', 'Low-risk: quiet ICU stay, normal radiograph', [('cxr', neg[0])], stays['quiet'][0]),
    ('demo03-sparse-vitals', 'Sparse vitals: heart rate charted in under a third of hours', [('cxr', neg[1])], stays['sparse'][0]),
    ('demo04-ct-not-applicable', 'CT study: the image branch does not apply; the vitals branch still runs',
     [('dicom', 'pydicom-testfiles/CT_small.dcm')], stays['quiet'][1]),
    ('demo05-multiframe-ultrasound', 'Large multi-frame study (30-frame colour ultrasound cine), not scored by the image branch',
     [('dicom', 'pydicom-testfiles/examples_ybr_color.dcm')], stays['quiet'][2]),
    ('demo06-chest-cr', 'Full-resolution chest CR (NEMA WG04 RG1, JPEG 2000, MONOCHROME1)',
     [('dicom', 'pydicom-data/RG1_J2KI.dcm')], stays['septic'][1]),
    ('demo07-pneumonia-no-sepsis', 'Pneumonia radiograph, quiet vitals', [('cxr', pos[1])], stays['quiet'][3]),
    ('demo08-sepsis-normal-film', 'Sepsis-labelled stay, normal radiograph', [('cxr', neg[2])], stays['septic'][2]),
    ('demo09-septic-pneumonia-2', 'Second sepsis-labelled stay with a pneumonia radiograph', [('cxr', pos[2])], stays['septic'][3]),
    ('demo10-mr-not-applicable', 'MR study (10 frames): image branch not applicable', [('dicom', 'pydicom-data/emri_small.dcm')], stays['quiet'][4]),
]
if os.path.isdir(out):
    shutil.rmtree(out)
os.makedirs(out)
lines = ['# Demo cohort attribution', '',
         'Built by `scripts/make-demo-cohort.py` from public data; every file is unchanged.', '',
         '| patient | file | source | licence |', '|---|---|---|---|']
for pid, desc, images, psv in patients:
    d = os.path.join(out, pid)
    os.makedirs(d)
    for kind, name in images:
        if kind == 'cxr':
            shutil.copy(os.path.join(cxr, name), os.path.join(d, 'chest.jpeg'))
            lines.append(f'| {pid} | chest.jpeg | Kermany et al. 2018 chest X-ray training split, {name} (224 px copy) | CC BY 4.0 |')
        else:
            shutil.copy(os.path.join(dicom, name), os.path.join(d, os.path.basename(name)))
            lines.append(f'| {pid} | {os.path.basename(name)} | pydicom {name} | MIT |')
    shutil.copy(os.path.join(psv_dir, psv), os.path.join(d, psv))
    lines.append(f'| {pid} | {psv} | PhysioNet/CinC Challenge 2019 training set B (Reyna et al. 2020) | CC BY 4.0 |')
    n_rows, _, _ = stay(os.path.join(psv_dir, psv))
    with open(os.path.join(d, 'patient.json'), 'w') as f:
        # The demo pairs unrelated records, so the image is placed at the last vitals hour ("taken now").
        json.dump({'name': pid.split('-', 1)[0].upper(), 'description': desc, 'image_hour': n_rows - 1}, f, indent=2)
lines += ['', 'Licences: pydicom test data MIT (Copyright (c) 2008-2020 Darcy Mason and pydicom contributors; '
          'pydicom-data Copyright (c) 2020 Dicom in Python); Kermany, Zhang, Goldbaum 2018 (Mendeley Data v2) CC BY 4.0; '
          'PhysioNet 2019 challenge data CC BY 4.0.',
          'The radiographs and stays come from the folders the shipped model was trained from, so some may have been '
          'trained on: the demo shows the workstation, not the model\'s accuracy (see the model card for that). '
          'The septic stays are ones the model flags from 12 h before to 3 h after onset.',
          'The patients are unrelated records paired for the demo: an image and a vitals record of the same demo patient '
          'do not come from the same person.']
with open(os.path.join(out, 'ATTRIBUTION.md'), 'w') as f:
    f.write('\n'.join(lines) + '\n')
print('demo cohort written to', out)
