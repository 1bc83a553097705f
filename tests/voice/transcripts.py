"""What a telephone recogniser (Twilio speech) writes when callers say the numbers the line asks for, with the
value each must give. Used by the call simulator's end-to-end calls and by the normaliser's tests."""

# (what the recogniser wrote, the registration body, the number it is)
REGISTRATION_NUMBERS = [
    ("g m c seven one two three four five six", "GMC", "7123456"),
    ("GMC seven one two three four five six", "GMC", "7123456"),
    ("my g m c number is seventy one, twenty three, four five six", "GMC", "7123456"),
    ("seven one two, three four, five six", "GMC", "7123456"),
    ("one two a three four five six e", "NMC", "12A3456E"),
    ("n m c one two a, three four five six e", "NMC", "12A3456E"),
    ("one four b two three four five s", "NMC", "14B2345S"),
    ("o t two three four five six", "HCPC", "OT23456"),
    ("p a two three four five six", "HCPC", "PA23456"),
    ("h c p c p h one two three four five six", "HCPC", "PH123456"),
    ("two oh eight two three four five", "GPhC", "2082345"),
    ("twenty, eight two, three four five", "GPhC", "2082345"),
    ("s w one two three four five six", "SWE", "SW123456"),
    ("sw one two three four five six", "SWE", "SW123456"),
    ("one two three four five six seven", "SSSC", "1234567"),
]

# NHS numbers (England) and CHI numbers (Scotland): (what the recogniser wrote, the digits)
PATIENT_IDENTIFIERS = [
    ("nine four three, four seven six, five nine one nine", "9434765919"),
    ("nine four three four seven six five nine one nine", "9434765919"),
    ("nine hundred and forty three, four seven six, five nine one nine", "9434765919"),
    ("four oh one, oh two three, two one three seven", "4010232137"),
    ("one two oh five three eight, two six two three", "1205382623"),          # a CHI number
    ("two three oh nine four one, two seven one six", "2309412716"),
]

# (what the recogniser wrote, the date as ISO): dates of birth
DATES_OF_BIRTH = [
    ("the seventh of march nineteen forty one", "1941-03-07"),
    ("seventh of march forty one", "1941-03-07"),
    ("March the seventh, nineteen forty one", "1941-03-07"),
    ("the third of may nineteen thirty eight", "1938-05-03"),
    ("the twelfth of may nineteen thirty eight", "1938-05-12"),
    ("second of january nineteen fifty", "1950-01-02"),
    ("the first of june nineteen fifty", "1950-06-01"),
    ("zero seven zero three nineteen forty one", "1941-03-07"),
    ("she was born on the twenty third of september nineteen forty one", "1941-09-23"),
]

# (what the recogniser wrote, the date as ISO) for a discharge date, said on 24 November 2026
DISCHARGE_DATES = [
    ("the twenty seventh of november", "2026-11-27"),
    ("twenty seventh of november twenty twenty six", "2026-11-27"),
    ("the second of december", "2026-12-02"),
    ("in three days", "2026-11-27"),
    ("the first of december", "2026-12-01"),
]

# (what the recogniser wrote, the number as dialled)
PHONE_NUMBERS = [
    ("oh seven seven one two, three four five six seven eight", "+447712345678"),
    ("zero seven seven one two three four five six seven eight", "+447712345678"),
    ("oh seven seven one two, thirty four fifty six seventy eight", "+447712345678"),
    ("oh seven nine one two, three four five, six seven eight", "+447912345678"),
    ("oh two oh, seven nine four six, oh three two one", "+442079460321"),
    ("oh one three one, four nine six, oh one oh one", "+441314960101"),
    ("oh seven seven double one, two three four double five six", "+447711234556"),
]

# (what the recogniser wrote, the postcode)
POSTCODES = [
    ("w two four r j", "W2 4RJ"),
    ("W two, four R J.", "W2 4RJ"),
    ("s w one x one a a", "SW1X 1AA"),
    ("w eleven three l p", "W11 3LP"),
    ("w one one, three l p", "W11 3LP"),
    ("n w one two a a", "NW1 2AA"),
    ("e h five four six q p", "EH54 6QP"),
    ("it's w two four a b", "W2 4AB"),
]

# Free text: answers that are not numbers, which no number rule changes.
FREE_TEXT = ["a fall at home", "she has one daughter", "I'm a GP", "Mrs Edith Clarke", "Flat 3, 12 Porchester Square",
             "Walk to the local shops.", "No.", "oh, she's fine"]
