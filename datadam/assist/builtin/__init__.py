"""Built-in predictors whose models ship inside PyPI packages (nothing downloaded at run
time), and how a worker's answer relates to the suggestion it started from. Plain Python,
no Django:

- ``ocr``: RapidOCR (PP-OCRv4 ONNX models in the ``rapidocr_onnxruntime`` wheel) → the
  ``ocr`` kind's regions, with a score and an uncertainty.
- ``morphemes``: Kiwi's analysis (``kinds.korean_morphemes.analysis``) → the
  ``korean_morphemes`` kind's tokens, scored by the margin over Kiwi's runner-up analysis.
- ``outcome``: ``suggestion_outcome`` — accepted, edited or replaced, per kind.
"""
