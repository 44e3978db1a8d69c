"""A small built-in vocabulary for procedural receipt text (no external data).

The words only need to look like receipt print to a detector: the right mix of upper-case words, numbers, codes
and punctuation, with Malaysian shop/address flavour because the evaluation receipts (SROIE) come from there.
Anything not listed is made up from random letters and digits in ``content.py``.
"""

from __future__ import annotations

SHOP_WORDS = (
    "PERNIAGAAN", "KEDAI", "RESTORAN", "SYARIKAT", "PASAR RAYA", "MINI MARKET", "BAKERY", "STATIONERY", "HARDWARE",
    "TRADING", "ENTERPRISE", "CAFE", "BOOKSTORE", "PHARMACY", "FRESH MART", "MARKETING", "GALLERY", "HOLDINGS",
    "CONFECTIONERY", "MAKANAN", "KOPITIAM", "SUPPLY", "ELECTRICAL", "MOTOR", "TEXTILE", "FOOD COURT", "DELI",
    "BOOKS", "CENTRE", "STORE", "EMPORIUM", "OUTLET", "PAPER", "CHICKEN RICE", "SEAFOOD", "NASI KANDAR",
)
NAME_WORDS = (
    "ZHENG", "HUI", "SIN", "YEW", "CHUAN", "TEO", "HENG", "POPULAR", "GARDENIA", "SANYU", "AIK", "HUAT", "WAN",
    "SHENG", "MEGA", "MAJU", "BOON", "SENG", "LIGHTROOM", "TIGA", "BINTANG", "MUTIARA", "CAHAYA", "SETIA", "JAYA",
    "INDAH", "PERMAI", "SUNRISE", "GOLDEN", "ROYAL", "DE LUXE", "UNIVERSAL", "BEST", "GREEN", "LUCKY", "EVERRISE",
    "KIM", "LEONG", "TAN", "LIM", "ONG", "CHONG", "KHOO", "RAHMAN", "AHMAD", "SUBANG", "PERMAS", "DAMAI", "ANGGUN",
)
COMPANY_SUFFIXES = ("SDN BHD", "SDN. BHD.", "(M) SDN BHD", "ENTERPRISE", "TRADING", "& CO", "BHD", "PLT")
STREET_WORDS = (
    "JALAN", "JLN", "LORONG", "PERSIARAN", "LEBUH", "JALAN BESAR", "JALAN TUN RAZAK", "JALAN KLANG LAMA",
)
AREA_WORDS = (
    "TAMAN", "TMN", "BANDAR BARU", "KAWASAN PERINDUSTRIAN", "SEKSYEN", "PUSAT PERNIAGAAN", "DESA", "KAMPUNG",
)
CITIES = (
    "KUALA LUMPUR", "JOHOR BAHRU", "SHAH ALAM", "PETALING JAYA", "KLANG", "SKUDAI", "SUBANG JAYA", "CHERAS",
    "PUCHONG", "KAJANG", "SERI KEMBANGAN", "SETIA ALAM", "AMPANG", "BATU CAVES", "SELAYANG", "RAWANG", "SEMENYIH",
)
STATES = ("SELANGOR", "JOHOR", "WILAYAH PERSEKUTUAN", "SELANGOR DARUL EHSAN", "JOHOR DARUL TAKZIM", "PERAK")
ITEM_WORDS = (
    "SILICONE", "GUN", "PROWESS", "TAPE", "PVC", "WIRE", "PIPE", "WRENCH", "PUNCH", "SET", "CEMENT", "BROOM", "MOP",
    "COTTON", "PAINT", "BRUSH", "ROLLER", "SCREW", "NAIL", "HAMMER", "BULB", "LED", "SOCKET", "PLUG", "CABLE", "GLUE",
    "PAPER", "A4", "FILE", "PEN", "PENCIL", "ERASER", "RULER", "BINDER", "CLIP", "ENVELOPE", "NOTEBOOK", "MARKER",
    "RICE", "CHICKEN", "NASI", "LEMAK", "MEE", "GORENG", "TEH", "TARIK", "KOPI", "AIS", "MILO", "ROTI", "CANAI",
    "BREAD", "BUN", "CAKE", "COCOA", "CHOCO", "VANILLA", "CHEESE", "SUGAR", "SALT", "OIL", "SAUCE", "OYSTER", "EGG",
    "WATER", "MINERAL", "COLA", "JUICE", "ORANGE", "APPLE", "MANGO", "SOUP", "FISH", "BALL", "NOODLE", "TOFU",
    "HAZELNUT", "LATTE", "MOCHA", "PEARL", "TEA", "GREEN", "BLACK", "LARGE", "SMALL", "REGULAR", "PACK", "BOX",
    "BOTTLE", "TIN", "BAG", "ROLL", "PCS", "KG", "ML", "SHEET", "HEAVY", "DUTY", "MULTI", "PURPOSE", "PLASTIC",
    "STEEL", "WOOD", "WHITE", "RED", "BLUE", "SPECIAL", "PREMIUM", "FAMILY", "ECONOMY", "ORIGINAL", "CLASSIC",
)
UNITS = ("PCS", "KG", "G", "ML", "L", "PKT", "BTL", "BOX", "ROLL", "SET", "UNIT", "M", "IN", "X")
TITLES = (
    "TAX INVOICE", "SIMPLIFIED TAX INVOICE", "RECEIPT", "CASH BILL", "OFFICIAL RECEIPT", "CASH SALES", "INVOICE",
    "SALES RECEIPT", "TAX INVOICE / ADJUSTMENT NOTE", "CASH RECEIPT", "BILL", "GUEST CHECK", "CUSTOMER COPY",
)
META_LABELS = (
    "Date", "Time", "Cashier", "Bill No", "Receipt No", "Invoice No", "Inv No", "Doc No", "Counter", "Table",
    "Salesperson", "Served by", "Order No", "Terminal", "Staff", "Pax", "Trans", "Slip No", "Member", "Customer",
    "Ref No", "Station", "POS", "Shift", "Check No", "Bill To", "Cust No", "Till",
)
TABLE_HEADERS = (
    ("Item", "Qty", "U/P", "Amount"),
    ("Description", "Qty", "Price", "Total"),
    ("Item Name", "Qty", "Price(RM)", "Amt(RM)"),
    ("ITEM", "QTY", "RSP", "AMOUNT"),
    ("Code/Desc", "Qty", "U.Price", "Total"),
    ("Product", "Qty", "S/Price", "Amount"),
    ("Description", "Qty", "Unit Price", "Amount"),
    ("Item", "Qty", "Price", "Tax"),
    ("QTY", "DESCRIPTION", "PRICE", "AMT"),
)
TOTAL_LABELS = (
    "Sub Total", "Subtotal", "Sub-Total", "Total Excl. GST", "Discount", "Service Charge 10%", "GST 6%",
    "Total GST", "GST @ 6%", "Rounding", "Rounding Adj", "Round Adj", "Total Amount", "Total", "Grand Total",
    "Net Total", "TOTAL (RM)", "Total Inclusive GST", "Total Sales (Inclusive of GST)", "Total Payable",
    "Cash", "Tendered", "Change", "Paid", "Credit Card", "Visa", "Mastercard", "Change Due", "Balance",
    "Total Qty", "Total Items", "Total Saving", "Amount Due", "Deposit", "Nett Amount",
)
FOOTERS = (
    "THANK YOU", "THANK YOU, PLEASE COME AGAIN", "GOODS SOLD ARE NOT RETURNABLE", "PLEASE COME AGAIN",
    "Thank You & Have A Nice Day", "GOODS SOLD ARE NOT RETURNABLE OR EXCHANGEABLE", "Please keep this receipt",
    "for warranty purposes", "TERIMA KASIH", "SILA DATANG LAGI", "Thank you for shopping with us",
    "EXCHANGE ARE ALLOWED WITHIN", "7 DAYS WITH RECEIPT", "STRICTLY NO CASH REFUND", "*** CUSTOMER COPY ***",
    "Follow us on Facebook", "Have a nice day!", "Price inclusive of GST", "Thank You. See You Again !!",
    "Customer Care Line", "We are open daily", "Visit our website", "Closed on public holidays", "POWERED BY",
)
PAYMENT_WORDS = ("CASH", "VISA", "MASTER", "DEBIT", "CREDIT", "E-WALLET", "BOOST", "GRABPAY", "TNG")
TAX_CODES = ("SR", "S", "Z", "ZR", "E", "T", "*", "SR")
