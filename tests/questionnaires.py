"""Questionnaires (questionnaire/v1 YAML) shared by the survey, store, web and security tests."""

SMALL = """\
ukur: questionnaire/v1
languages: [id, en]
title: {id: Survei kecil, en: Small survey}
consent: {id: Saya setuju jawaban saya dianalisis., en: I agree that my answers are analysed.}
scale:
  points: 5
  labels:
    id: [Sangat tidak setuju, Tidak setuju, Netral, Setuju, Sangat setuju]
    en: [Strongly disagree, Disagree, Neutral, Agree, Strongly agree]
profile:
  - {code: gender, type: choice, text: {id: Jenis kelamin, en: Gender}, options: [Pria, Wanita]}
constructs:
  - name: Citra
    items:
      - {code: CM1, text: {id: Merek ini terkenal, en: This brand is well known}}
      - {code: CM2, text: {id: Merek ini membosankan, en: This brand is boring}, reversed: true}
      - {code: CM3, text: {id: Merek ini dipercaya, en: This brand is trusted}}
  - name: Minat
    items:
      - {code: MB1, text: {id: Saya ingin membeli, en: I want to buy}}
      - {code: MB2, text: {id: Saya akan membeli lagi, en: I will buy again}}
      - {code: MB3, text: {id: Saya merekomendasikan, en: I recommend it}}
"""
