"""The words of the notice PDF in the person's language beside English.

Machine translations (like the interface's ``.po`` files): each needs review by a native
speaker before production use, and the PDF says so. The legal sentence paraphrases ACTIP
art. 14(2) as the knowledge base does (``asean.actip.art14-2``); the English is the one that
counts.
"""

from __future__ import annotations

#: The language a notice is printed in, beside English, by the person's nationality.
LANGUAGE_OF: dict[str, str] = {
    "TH": "th",
    "LA": "lo",
    "KH": "km",
    "MM": "my",
    "VN": "vi",
    "ID": "id",
    "MY": "ms",
    "BN": "ms",
    "PH": "fil",
}

KEYS = (
    "title",
    "formal",
    "potential",
    "issued_by",
    "name",
    "date_of_birth",
    "nationality",
    "document",
    "identified_on",
    "valid",
    "notice",
    "contact",
    "respect",
    "scan",
)

LABELS: dict[str, dict[str, str]] = {
    "en": {
        "title": "Identification notice",
        "formal": "Formally identified as a victim of trafficking in persons",
        "potential": "Presumed victim of trafficking in persons (identification pending)",
        "issued_by": "Issued by",
        "name": "Name",
        "date_of_birth": "Date of birth",
        "nationality": "Nationality",
        "document": "Document number",
        "identified_on": "Identified on",
        "valid": "Valid",
        "notice": "Notice number",
        "contact": "Contact",
        "respect": (
            "ASEAN Convention against Trafficking in Persons, art. 14(2): in cases of "
            "trafficking in more than one country, each Party shall respect and recognise the "
            "identification of victims made by the competent authorities of another Party."
        ),
        "scan": "Scan the code to verify this notice, also without a network.",
    },
    "th": {
        "title": "หนังสือแจ้งการคัดแยกผู้เสียหาย",
        "formal": "ได้รับการคัดแยกอย่างเป็นทางการว่าเป็นผู้เสียหายจากการค้ามนุษย์",
        "potential": "ผู้ที่สันนิษฐานว่าเป็นผู้เสียหายจากการค้ามนุษย์ (อยู่ระหว่างการคัดแยก)",
        "issued_by": "ออกโดย",
        "name": "ชื่อ",
        "date_of_birth": "วันเกิด",
        "nationality": "สัญชาติ",
        "document": "เลขที่เอกสาร",
        "identified_on": "วันที่คัดแยก",
        "valid": "มีผลใช้",
        "notice": "เลขที่หนังสือแจ้ง",
        "contact": "ติดต่อ",
        "respect": (
            "อนุสัญญาอาเซียนว่าด้วยการต่อต้านการค้ามนุษย์ ข้อ 14(2): ในกรณีการค้ามนุษย์ที่เกิดขึ้นในหลายประเทศ "
            "รัฐภาคีแต่ละรัฐต้องเคารพและยอมรับการคัดแยกผู้เสียหายที่ทำโดยเจ้าหน้าที่ผู้มีอำนาจของรัฐภาคีอื่น"
        ),
        "scan": "สแกนรหัสเพื่อตรวจสอบหนังสือแจ้งนี้ได้แม้ไม่มีเครือข่าย",
    },
    "vi": {
        "title": "Thông báo xác định nạn nhân",
        "formal": "Đã được xác định chính thức là nạn nhân mua bán người",
        "potential": "Được coi là nạn nhân mua bán người (đang chờ xác định)",
        "issued_by": "Cơ quan cấp",
        "name": "Họ tên",
        "date_of_birth": "Ngày sinh",
        "nationality": "Quốc tịch",
        "document": "Số giấy tờ",
        "identified_on": "Ngày xác định",
        "valid": "Hiệu lực",
        "notice": "Số thông báo",
        "contact": "Liên hệ",
        "respect": (
            "Công ước ASEAN về phòng, chống mua bán người, điều 14(2): trong các vụ mua bán người "
            "xảy ra ở nhiều quốc gia, mỗi Bên phải tôn trọng và công nhận việc xác định nạn nhân "
            "do cơ quan có thẩm quyền của Bên khác thực hiện."
        ),
        "scan": "Quét mã để kiểm tra thông báo này, kể cả khi không có mạng.",
    },
    "id": {
        "title": "Pemberitahuan identifikasi",
        "formal": "Diidentifikasi secara resmi sebagai korban perdagangan orang",
        "potential": "Diduga korban perdagangan orang (identifikasi sedang berlangsung)",
        "issued_by": "Diterbitkan oleh",
        "name": "Nama",
        "date_of_birth": "Tanggal lahir",
        "nationality": "Kewarganegaraan",
        "document": "Nomor dokumen",
        "identified_on": "Diidentifikasi pada",
        "valid": "Berlaku",
        "notice": "Nomor pemberitahuan",
        "contact": "Kontak",
        "respect": (
            "Konvensi ASEAN Menentang Perdagangan Orang, pasal 14(2): dalam perdagangan orang di "
            "lebih dari satu negara, setiap Pihak wajib menghormati dan mengakui identifikasi "
            "korban oleh otoritas yang berwenang dari Pihak lain."
        ),
        "scan": "Pindai kode untuk memverifikasi pemberitahuan ini, juga tanpa jaringan.",
    },
    "ms": {
        "title": "Notis pengenalpastian",
        "formal": "Dikenal pasti secara rasmi sebagai mangsa pemerdagangan orang",
        "potential": "Dianggap mangsa pemerdagangan orang (pengenalpastian belum selesai)",
        "issued_by": "Dikeluarkan oleh",
        "name": "Nama",
        "date_of_birth": "Tarikh lahir",
        "nationality": "Kewarganegaraan",
        "document": "Nombor dokumen",
        "identified_on": "Dikenal pasti pada",
        "valid": "Sah",
        "notice": "Nombor notis",
        "contact": "Hubungi",
        "respect": (
            "Konvensyen ASEAN Menentang Pemerdagangan Orang, perkara 14(2): dalam pemerdagangan "
            "orang di lebih daripada satu negara, setiap Pihak hendaklah menghormati dan "
            "mengiktiraf pengenalpastian mangsa oleh pihak berkuasa berwibawa Pihak lain."
        ),
        "scan": "Imbas kod untuk mengesahkan notis ini, walaupun tanpa rangkaian.",
    },
    "fil": {
        "title": "Abiso ng pagkakakilanlan",
        "formal": "Pormal na kinilala bilang biktima ng human trafficking",
        "potential": "Itinuturing na biktima ng human trafficking (hinihintay ang pagkilala)",
        "issued_by": "Inilabas ng",
        "name": "Pangalan",
        "date_of_birth": "Petsa ng kapanganakan",
        "nationality": "Nasyonalidad",
        "document": "Numero ng dokumento",
        "identified_on": "Kinilala noong",
        "valid": "May bisa",
        "notice": "Numero ng abiso",
        "contact": "Makipag-ugnayan",
        "respect": (
            "ASEAN Convention against Trafficking in Persons, art. 14(2): sa trafficking sa higit "
            "sa isang bansa, igagalang at kikilalanin ng bawat Partido ang pagkilala sa mga "
            "biktima na ginawa ng mga awtoridad ng ibang Partido."
        ),
        "scan": "I-scan ang code upang i-verify ang abisong ito, kahit walang network.",
    },
    "km": {
        "title": "សេចក្តីជូនដំណឹងអំពីការកំណត់អត្តសញ្ញាណ",
        "formal": "បានកំណត់អត្តសញ្ញាណជាផ្លូវការថាជាជនរងគ្រោះនៃការជួញដូរមនុស្ស",
        "potential": "សន្មតថាជាជនរងគ្រោះនៃការជួញដូរមនុស្ស (កំពុងរង់ចាំការកំណត់អត្តសញ្ញាណ)",
        "issued_by": "ចេញដោយ",
        "name": "ឈ្មោះ",
        "date_of_birth": "ថ្ងៃខែឆ្នាំកំណើត",
        "nationality": "សញ្ជាតិ",
        "document": "លេខឯកសារ",
        "identified_on": "កំណត់អត្តសញ្ញាណនៅថ្ងៃ",
        "valid": "សុពលភាព",
        "notice": "លេខសេចក្តីជូនដំណឹង",
        "contact": "ទំនាក់ទំនង",
        "respect": (
            "អនុសញ្ញាអាស៊ានប្រឆាំងការជួញដូរមនុស្ស មាត្រា ១៤(២)៖ ភាគីនីមួយៗត្រូវគោរព "
            "និងទទួលស្គាល់ការកំណត់អត្តសញ្ញាណជនរងគ្រោះដែលធ្វើឡើងដោយអាជ្ញាធរមានសមត្ថកិច្ចនៃភាគីផ្សេងទៀត។"
        ),
        "scan": "ស្កេនកូដដើម្បីផ្ទៀងផ្ទាត់សេចក្តីជូនដំណឹងនេះ ទោះគ្មានបណ្តាញក៏ដោយ។",
    },
    "lo": {
        "title": "ແຈ້ງການກ່ຽວກັບການກຳນົດຕົວຜູ້ຖືກເຄາະຮ້າຍ",
        "formal": "ໄດ້ຮັບການກຳນົດຢ່າງເປັນທາງການວ່າເປັນຜູ້ຖືກເຄາະຮ້າຍຈາກການຄ້າມະນຸດ",
        "potential": "ຖືວ່າເປັນຜູ້ຖືກເຄາະຮ້າຍຈາກການຄ້າມະນຸດ (ລໍຖ້າການກຳນົດ)",
        "issued_by": "ອອກໂດຍ",
        "name": "ຊື່",
        "date_of_birth": "ວັນເດືອນປີເກີດ",
        "nationality": "ສັນຊາດ",
        "document": "ເລກທີເອກະສານ",
        "identified_on": "ວັນທີກຳນົດ",
        "valid": "ມີຜົນໃຊ້",
        "notice": "ເລກທີແຈ້ງການ",
        "contact": "ຕິດຕໍ່",
        "respect": (
            "ສົນທິສັນຍາອາຊຽນວ່າດ້ວຍການຕ້ານການຄ້າມະນຸດ ມາດຕາ 14(2): ແຕ່ລະພາຄີຕ້ອງເຄົາລົບ "
            "ແລະ ຮັບຮູ້ການກຳນົດຕົວຜູ້ຖືກເຄາະຮ້າຍທີ່ເຮັດໂດຍເຈົ້າໜ້າທີ່ມີອຳນາດຂອງພາຄີອື່ນ."
        ),
        "scan": "ສະແກນລະຫັດເພື່ອກວດສອບແຈ້ງການນີ້ ເຖິງແມ່ນບໍ່ມີເຄືອຂ່າຍ.",
    },
    "my": {
        "title": "ဖော်ထုတ်သတ်မှတ်ခြင်း အသိပေးစာ",
        "formal": "လူကုန်ကူးမှု သားကောင်အဖြစ် တရားဝင် ဖော်ထုတ်သတ်မှတ်ပြီး",
        "potential": "လူကုန်ကူးမှု သားကောင်ဟု ယူဆထားသူ (ဖော်ထုတ်သတ်မှတ်ဆဲ)",
        "issued_by": "ထုတ်ပေးသူ",
        "name": "အမည်",
        "date_of_birth": "မွေးသက္ကရာဇ်",
        "nationality": "နိုင်ငံသား",
        "document": "စာရွက်စာတမ်း နံပါတ်",
        "identified_on": "ဖော်ထုတ်သည့်နေ့",
        "valid": "သက်တမ်း",
        "notice": "အသိပေးစာ နံပါတ်",
        "contact": "ဆက်သွယ်ရန်",
        "respect": (
            "လူကုန်ကူးမှု တိုက်ဖျက်ရေး အာဆီယံ ကွန်ဗင်းရှင်း အပိုဒ် ၁၄(၂)- အဖွဲ့ဝင်တိုင်းသည် "
            "အခြားအဖွဲ့ဝင်၏ တာဝန်ရှိ အာဏာပိုင်များ ပြုလုပ်သော သားကောင် ဖော်ထုတ်သတ်မှတ်မှုကို "
            "လေးစားအသိအမှတ်ပြုရမည်။"
        ),
        "scan": "ကွန်ရက်မရှိလည်း ဤအသိပေးစာကို စစ်ဆေးရန် ကုဒ်ကို စကင်ဖတ်ပါ။",
    },
}


def labels_for(lang: str) -> dict[str, str]:
    return LABELS.get(lang, LABELS["en"])
