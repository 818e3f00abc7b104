"""Demo data: a realistic office of a municipal education administration (``flask seed-demo``).

:func:`seed_demo` fills an *empty* database with departments, staff, premises, suppliers,
contracts, thousands of assets, vehicles, fuel cards and one user per role. Everything comes
from ``random.Random(seed)``, so the same seed (and the same day) gives the same office.
Identifiers are valid: ИНН, ОГРН, КПП, БИК and account control keys are computed, plates,
VINs, ОКОФ and cadastral numbers match the checks in :mod:`models.checks`. Depreciation is
computed with :func:`services.depreciation_rules.accumulated_at`, so the numbers agree with
the rules the application applies.

The function only adds and flushes; the caller commits (the CLI does).
"""
from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

from sqlalchemy import func, select
from stdnum.ru.inn import calc_company_check_digit, calc_personal_check_digits

from models.phones import SimCard, SimCardStatus
from models import (Asset, AssetCategory, AssetStatus, Building, Contract, ContractKind, ContractStatus,
                    Department, Employee, FuelCard, FuelCardStatus, FuelType, ProcurementMethod, PropertyKind,
                    RightOfUse, Role, Room, Supplier, Transfer, User, Vehicle, VehicleStatus, WriteOffAct)
from models.changelog import begin_batch
from services.accounts import create_user
from services.depreciation_rules import accumulated_at

KOPECK = Decimal("0.01")
CHUNK = 1000
SOON = 30  # "expiring soon" horizon, days

# Tables that must be empty (singular and plural label for the refusal message).
GUARDED_TABLES = (
    (Department, "department", "departments"),
    (Employee, "employee", "employees"),
    (AssetCategory, "asset category", "asset categories"),
    (Building, "building", "buildings"),
    (Room, "room", "rooms"),
    (Supplier, "supplier", "suppliers"),
    (Contract, "contract", "contracts"),
    (Asset, "asset", "assets"),
    (Vehicle, "vehicle", "vehicles"),
    (FuelCard, "fuel card", "fuel cards"),
    (Transfer, "transfer", "transfers"),
    (WriteOffAct, "write-off act", "write-off acts"),
    (User, "user", "users"),
)


class DemoRefused(Exception):
    """The database is not empty; seed-demo never mixes demo data with real data."""


# --------------------------------------------------------------------------------------------
# Reference data
# --------------------------------------------------------------------------------------------

REGION = "74"  # Челябинская область
CITY = "г. Челябинск"

# The customer itself (used in ИКЗ): municipal level "3" + ИНН + КПП.
CUSTOMER_INN_BODY = "745304118"  # check digit appended at run time
CUSTOMER_KPP = "745301001"

MALE_SURNAMES = (
    "Иванов", "Петров", "Смирнов", "Кузнецов", "Попов", "Васильев", "Соколов", "Михайлов", "Новиков",
    "Фёдоров", "Морозов", "Волков", "Алексеев", "Лебедев", "Семёнов", "Егоров", "Павлов", "Козлов",
    "Степанов", "Николаев", "Орлов", "Андреев", "Макаров", "Никитин", "Захаров", "Зайцев", "Соловьёв",
    "Борисов", "Яковлев", "Григорьев", "Романов", "Воробьёв", "Сергеев", "Кузьмин", "Фролов",
    "Александров", "Дмитриев", "Королёв", "Гусев", "Киселёв", "Ильин", "Максимов", "Поляков",
    "Сорокин", "Виноградов", "Ковалёв", "Белов", "Медведев", "Антонов", "Тарасов", "Жуков", "Баранов",
    "Филиппов", "Комаров", "Давыдов", "Беляев", "Герасимов", "Богданов", "Осипов", "Сидоров",
    "Матвеев", "Титов", "Марков", "Миронов", "Крылов", "Куликов", "Карпов", "Власов", "Мельников",
    "Денисов", "Шевченко", "Бондаренко", "Коваленко", "Ковальский", "Берёзкин", "Седых", "Черных",
    "Лаптев", "Шубин", "Гаврилов", "Гарипов", "Хабибуллин", "Ахметов", "Зиннатуллин",
)
MALE_NAMES = (
    "Александр", "Алексей", "Андрей", "Сергей", "Дмитрий", "Владимир", "Николай", "Михаил", "Евгений",
    "Игорь", "Олег", "Павел", "Юрий", "Виктор", "Константин", "Денис", "Роман", "Максим", "Артём",
    "Иван", "Антон", "Вячеслав", "Геннадий", "Валерий", "Илья", "Руслан",
)
FEMALE_NAMES = (
    "Елена", "Ольга", "Наталья", "Татьяна", "Ирина", "Светлана", "Анна", "Марина", "Юлия", "Екатерина",
    "Людмила", "Галина", "Оксана", "Надежда", "Валентина", "Любовь", "Мария", "Дарья", "Ксения",
    "Анастасия", "Виктория", "Евгения", "Алла", "Лариса", "Альфия", "Гульнара",
)
PATRONYMICS = (
    ("Александрович", "Александровна"), ("Алексеевич", "Алексеевна"), ("Андреевич", "Андреевна"),
    ("Сергеевич", "Сергеевна"), ("Дмитриевич", "Дмитриевна"), ("Владимирович", "Владимировна"),
    ("Николаевич", "Николаевна"), ("Михайлович", "Михайловна"), ("Евгеньевич", "Евгеньевна"),
    ("Игоревич", "Игоревна"), ("Олегович", "Олеговна"), ("Павлович", "Павловна"), ("Юрьевич", "Юрьевна"),
    ("Викторович", "Викторовна"), ("Константинович", "Константиновна"), ("Петрович", "Петровна"),
    ("Иванович", "Ивановна"), ("Васильевич", "Васильевна"), ("Анатольевич", "Анатольевна"),
    ("Геннадьевич", "Геннадьевна"), ("Валерьевич", "Валерьевна"), ("Борисович", "Борисовна"),
    ("Фёдорович", "Фёдоровна"), ("Григорьевич", "Григорьевна"), ("Вячеславович", "Вячеславовна"),
)


def _female_surname(surname: str) -> str:
    if surname.endswith(("ов", "ев", "ёв", "ин", "ын")):
        return surname + "а"
    if surname.endswith("ий"):
        return surname[:-2] + "ая"
    return surname  # -енко, -ых, -их do not change


# (code, name, parent code, staff). Staff rows: (position, count, sex "m"/"f"/None, flags)
# flags: "mol" materially responsible, "driver", "head" (department head), "gone" (dismissed).
DEPARTMENTS = (
    ("01", "Руководство", None, (
        ("Начальник управления", 1, None, "head"),
        ("Заместитель начальника управления", 2, None, ""),
        ("Помощник руководителя", 1, "f", "mol"),
    )),
    ("02", "Отдел обеспечения деятельности", None, (
        ("Начальник отдела", 1, "m", "head mol"),
        ("Заведующий хозяйством", 1, None, "mol"),
        ("Ведущий специалист", 1, "f", ""),
        ("Техник", 1, "m", ""),
        ("Рабочий по комплексному обслуживанию и ремонту зданий", 2, "m", ""),
        ("Уборщик служебных помещений", 2, "f", ""),
        ("Сторож", 1, "m", "gone"),
    )),
    ("02.1", "Транспортный участок", "02", (
        ("Механик", 1, "m", "head mol driver"),
        ("Водитель автомобиля", 14, "m", "driver"),
    )),
    ("03", "Бухгалтерия", None, (
        ("Главный бухгалтер", 1, "f", "head mol"),
        ("Заместитель главного бухгалтера", 1, "f", ""),
        ("Бухгалтер", 3, "f", ""),
    )),
    ("04", "Отдел кадров", None, (
        ("Начальник отдела кадров", 1, "f", "head mol"),
        ("Специалист по кадрам", 1, "f", ""),
    )),
    ("05", "Юридический отдел", None, (
        ("Начальник юридического отдела", 1, None, "head mol"),
        ("Консультант", 1, None, ""),
    )),
    ("06", "Отдел закупок", None, (
        ("Начальник отдела (руководитель контрактной службы)", 1, None, "head mol"),
        ("Главный специалист", 2, None, ""),
    )),
    ("07", "Отдел информационных технологий", None, (
        ("Начальник отдела", 1, "m", "head mol"),
        ("Системный администратор", 2, "m", "mol"),
        ("Программист", 1, None, ""),
    )),
    ("08", "Отдел общего образования", None, (
        ("Начальник отдела", 1, "f", "head mol"),
        ("Главный специалист", 3, None, ""),
        ("Ведущий специалист", 2, "f", ""),
        ("Специалист 1 категории", 1, "f", "gone"),
    )),
    ("09", "Отдел дошкольного образования", None, (
        ("Начальник отдела", 1, "f", "head mol"),
        ("Главный специалист", 2, "f", ""),
        ("Ведущий специалист", 2, None, ""),
    )),
    ("10", "Отдел дополнительного образования и воспитательной работы", None, (
        ("Начальник отдела", 1, None, "head mol"),
        ("Главный специалист", 2, None, ""),
        ("Специалист 1 категории", 1, "f", ""),
    )),
)

# (key, name, ОКОФ, balance account, property kind, useful life (months), weight, contract group)
CATEGORIES = (
    ("laptop", "Ноутбуки и планшеты", "320.26.20.11.110", "101.34", PropertyKind.other_movable, 36, 6, "it"),
    ("pc", "Системные блоки и моноблоки", "320.26.20.15", "101.34", PropertyKind.other_movable, 60, 11, "it"),
    ("monitor", "Мониторы, проекторы и панели", "320.26.20.17", "101.34", PropertyKind.other_movable, 60, 11, "it"),
    ("printer", "Принтеры и сканеры", "320.26.20.16", "101.34", PropertyKind.other_movable, 36, 5, "print"),
    ("mfp", "Многофункциональные устройства", "320.26.20.18", "101.34", PropertyKind.other_movable, 60, 5, "print"),
    ("server", "Серверы и системы хранения данных", "320.26.20.15", "101.24", PropertyKind.especially_valuable,
     60, 0.6, "server"),
    ("network", "Сетевое оборудование", "320.26.30.11", "101.34", PropertyKind.other_movable, 60, 4, "network"),
    ("phone", "Телефонные аппараты", "320.26.30.23", "101.34", PropertyKind.other_movable, 36, 8, "network"),
    ("climate", "Кондиционеры и сплит-системы", "320.28.25.12", "101.34", PropertyKind.other_movable, 84, 3, "climate"),
    ("office", "Офисная техника прочая", "320.28.23.23", "101.34", PropertyKind.other_movable, 60, 4, "office"),
    ("furniture", "Мебель офисная деревянная", "330.31.01.12", "101.36", PropertyKind.other_movable, 84, 34,
     "furniture"),
    ("metal", "Мебель металлическая и сейфы", "330.31.01.11", "101.36", PropertyKind.other_movable, 120, 6,
     "furniture"),
    ("car", "Автомобили легковые", "310.29.10.22", "101.35", PropertyKind.other_movable, 60, 0, "car"),
    ("building", "Здания нежилые", "210.00.00.00.000", "101.12", PropertyKind.real_estate, 600, 0, None),
)

# Items per category: (name, lowest price, highest price, weight); serial-number prefix or None.
CATALOG = {
    "laptop": ("PF", (
        ("Ноутбук Lenovo ThinkPad E14 Gen 4", 62000, 98000, 3),
        ("Ноутбук HP ProBook 450 G9", 70000, 105000, 2),
        ("Ноутбук Aquarius Cmp NS685U R11", 85000, 125000, 2),
        ("Ноутбук ASUS ExpertBook B1500", 48000, 72000, 2),
        ("Ноутбук Dell Latitude 5540", 95000, 140000, 1),
        ("Планшет Samsung Galaxy Tab A8", 18000, 26000, 1),
    )),
    "pc": ("AQ", (
        ("Системный блок Aquarius Pro P30 K44", 45000, 78000, 4),
        ("Системный блок iRU Corp 317 MT", 38000, 65000, 3),
        ("Моноблок Lenovo ThinkCentre neo 30a 24", 68000, 95000, 2),
        ("Системный блок Kraftway Credo KC56", 52000, 86000, 2),
        ("Моноблок HP ProOne 440 G9", 85000, 115000, 1),
        ("Рабочая станция Dell Precision 3660", 140000, 210000, 0.4),
    )),
    "monitor": ("UK", (
        ("Монитор 23,8\" Philips 243V7QDSB", 9500, 14000, 4),
        ("Монитор 24\" AOC 24B2XH", 8700, 12500, 4),
        ("Монитор 21,5\" Samsung S22R350", 7900, 10500, 3),
        ("Монитор 27\" Dell P2722H", 19000, 26000, 1.5),
        ("Монитор 23,8\" Lenovo ThinkVision T24i-20", 15000, 21000, 1.5),
        ("Проектор Epson EB-E20", 38000, 52000, 0.4),
        ("Интерактивная панель 75\" NexTouch NextPanel", 290000, 420000, 0.15),
    )),
    "printer": ("VNB", (
        ("Принтер лазерный HP LaserJet Pro M404dn", 24000, 36000, 3),
        ("Принтер лазерный Pantum P3300DN", 14000, 19500, 3),
        ("Принтер лазерный Kyocera ECOSYS P2040dn", 21000, 29000, 2),
        ("Принтер Canon i-SENSYS LBP223dw", 18000, 25000, 2),
        ("Сканер Fujitsu fi-7160", 85000, 118000, 0.5),
        ("Сканер Canon imageFORMULA DR-C225 II", 36000, 48000, 0.7),
        ("Принтер этикеток Godex G500", 9000, 12500, 0.4),
    )),
    "mfp": ("LV", (
        ("МФУ Kyocera ECOSYS M2540dn", 33000, 45000, 3),
        ("МФУ Pantum M6800FDW", 21000, 28000, 3),
        ("МФУ HP LaserJet Pro MFP M428fdn", 42000, 59000, 2),
        ("МФУ Canon i-SENSYS MF443dw", 27000, 36000, 2),
        ("МФУ Xerox VersaLink B405", 62000, 84000, 1),
        ("Копировальный аппарат Kyocera TASKalfa 2554ci", 260000, 340000, 0.3),
    )),
    "server": ("CZ", (
        ("Сервер Dell PowerEdge R750", 850000, 1650000, 1),
        ("Сервер HPE ProLiant DL380 Gen10", 720000, 1400000, 1),
        ("Сервер Aquarius T50 D224CF", 540000, 980000, 1),
        ("Система хранения данных Synology RS3621xs+", 480000, 760000, 0.6),
        ("Источник бесперебойного питания APC Smart-UPS SRT 6000", 260000, 390000, 1),
    )),
    "network": ("FOC", (
        ("Коммутатор Eltex MES2324B", 48000, 64000, 3),
        ("Коммутатор Cisco Catalyst 2960X-24TS-L", 110000, 160000, 1),
        ("Маршрутизатор MikroTik CCR2004-16G-2S+", 52000, 78000, 1),
        ("Точка доступа Ubiquiti UniFi U6 Pro", 16000, 24000, 3),
        ("Межсетевой экран ViPNet Coordinator HW50", 140000, 230000, 0.5),
        ("Коммутатор TP-Link TL-SG1016D", 5200, 7900, 2),
    )),
    "phone": ("805", (
        ("Телефон IP Yealink SIP-T31P", 4300, 6200, 4),
        ("Телефон Panasonic KX-TS2350RU", 2300, 3100, 3),
        ("Телефон IP Grandstream GXP1625", 3900, 5600, 3),
        ("Радиотелефон Panasonic KX-TGB610RU", 3200, 4400, 1),
        ("Телефон IP Yealink SIP-T46U", 14500, 19500, 0.5),
    )),
    "climate": ("D", (
        ("Сплит-система Daikin FTXB35C/RXB35C", 62000, 85000, 1),
        ("Сплит-система Ballu BSW-09HN1", 24000, 33000, 3),
        ("Сплит-система Haier HSU-12HTT03/R3", 34000, 46000, 2),
        ("Кондиционер кассетный Mitsubishi Heavy FDTC50VH", 145000, 210000, 0.3),
        ("Рециркулятор воздуха «Армед» СН111-130", 5400, 7800, 2),
    )),
    "office": ("K", (
        ("Уничтожитель бумаг Kobra 240.1 S2", 42000, 63000, 1),
        ("Уничтожитель бумаг Fellowes PowerShred 79Ci", 18000, 26000, 3),
        ("Ламинатор GBC Fusion 3100L", 8900, 12900, 2),
        ("Брошюровщик Office Kit B2125", 7400, 11200, 2),
        ("Резак сабельный Office Kit A4 W408", 6000, 9000, 1),
        ("Термопереплётная машина Opus Termobind S20", 19000, 27000, 1),
        ("Счётчик банкнот Magner 35S", 14000, 19000, 0.3),
    )),
    "furniture": (None, (
        ("Стол письменный 1400×700 «Альфа»", 6200, 9800, 5),
        ("Стол письменный угловой 1600×1200", 9800, 14500, 2),
        ("Тумба подкатная, 3 ящика", 4200, 6900, 4),
        ("Шкаф для документов полузакрытый 800×400×2000", 8500, 13800, 3),
        ("Шкаф для одежды 800×600×2000", 9200, 14200, 2),
        ("Кресло руководителя «Бюрократ T-9923»", 18500, 29000, 1),
        ("Кресло офисное «Chairman 696»", 5900, 8900, 4),
        ("Стул офисный «Изо», чёрный", 1900, 2800, 8),
        ("Стол для совещаний 2400×1100", 26000, 38000, 0.5),
        ("Стеллаж открытый 800×400×2000", 5200, 7800, 2),
        ("Диван офисный «Премьер», 3-местный", 38000, 56000, 0.4),
        ("Комплект мебели для кабинета руководителя «Премьер»", 240000, 380000, 0.05),
    )),
    "metal": (None, (
        ("Шкаф металлический архивный ШАМ-11", 16500, 23000, 2),
        ("Шкаф бухгалтерский КБ-10", 12500, 17800, 2),
        ("Сейф офисный AIKO Т-40", 7800, 11200, 2),
        ("Сейф взломостойкий Valberg Форт-1368", 32000, 48000, 0.5),
        ("Стеллаж металлический МС-500 2000×1000×500", 6900, 9800, 3),
        ("Шкаф для одежды металлический ШРМ-22", 11500, 15800, 1),
        ("Картотека металлическая AFC-04", 21000, 29500, 0.5),
    )),
}

# Suppliers: key -> (form, short name, full name, role). Forms: ООО, АО, МУП, ИП.
SUPPLIERS = (
    ("kanctorg", "ООО", "Канцторг", "office"),
    ("itsnab", "ООО", "ИТ-Снаб", "it"),
    ("techno", "ООО", "Техносфера-Урал", "it"),
    ("cifra", "ООО", "Цифровые решения", "server"),
    ("print", "ООО", "Принт-Сервис", "print"),
    ("mebel", "ООО", "Уралмебель", "furniture"),
    ("kravchenko", "ИП", "Кравченко Сергей Анатольевич", "furniture"),
    ("klimat", "ООО", "Климат-Профи", "climate"),
    ("setevik", "ООО", "Сетевые технологии", "network"),
    ("telecom", "АО", "Южноуральская телекоммуникационная компания", None),
    ("internet", "ООО", "ЧелНет", None),
    ("energo", "АО", "Энергосбыт-74", None),
    ("teplo", "АО", "Городская теплосеть", None),
    ("voda", "МУП", "Горводоканал", None),
    ("waste", "ООО", "Центр коммунального сервиса", None),
    ("fuel1", "ООО", "Уралтопливо", None),
    ("fuel2", "АО", "Южуралнефтепродукт", None),
    ("autoservice", "ООО", "Магистраль-Авто", None),
    ("autodealer", "АО", "Автоимпорт-Урал", "car"),
    ("insurance", "ООО", "Страховая компания «Уралгарант»", None),
    ("clean", "ООО", "Чистый город", None),
    ("security", "ООО", "Частная охранная организация «Щит»", None),
    ("remstroy", "ООО", "РемСтройМонтаж", None),
    ("soft", "ООО", "Софт-Лицензия", None),
    ("sokolova", "ИП", "Соколова Мария Викторовна", None),
    ("medic", "ООО", "Медосмотр-Плюс", None),
    ("landlord", "ООО", "Промснаб-Недвижимость", None),
)
LEGAL_FORMS = {
    "ООО": "Общество с ограниченной ответственностью",
    "АО": "Акционерное общество",
    "МУП": "Муниципальное унитарное предприятие",
}
STREETS = (
    "ул. Свободы", "ул. Энтузиастов", "пр. Ленина", "ул. Кирова", "ул. Труда", "Комсомольский пр.",
    "ул. Братьев Кашириных", "ул. Молодогвардейцев", "Свердловский пр.", "ул. Тимирязева",
    "ул. Университетская Набережная", "ул. Худякова", "Копейское ш.", "ул. Рождественского",
)

# Contract templates: (kind, supplier, subject, method, amount range (rubles), asset group, ОКПД2 (4),
# КВР, periods). Periods: years back (0 = current, active), or "draft" / "lease".
CONTRACTS = (
    ("supply", "itsnab", "Поставка компьютерной техники", "auction", (1_500_000, 4_000_000), "it", "2620",
     "244", (5, 3, 1)),
    ("supply", "techno", "Поставка компьютерной техники и периферийного оборудования", "auction",
     (1_200_000, 3_500_000), "it", "2620", "244", (4, 2, 0)),
    ("supply", "cifra", "Поставка серверного оборудования", "auction", (1_500_000, 4_500_000), "server", "2620",
     "244", (4, 1)),
    ("supply", "print", "Поставка печатающих устройств", "auction", (400_000, 1_200_000), "print", "2620",
     "244", (5, 3, 1)),
    ("supply", "mebel", "Поставка офисной мебели", "auction", (800_000, 2_500_000), "furniture", "3101", "244",
     (5, 3, 2, 0)),
    ("supply", "kravchenko", "Поставка мебели для кабинетов", "single_p4", (150_000, 580_000), "furniture",
     "3101", "244", (4,)),
    ("supply", "klimat", "Поставка и монтаж сплит-систем", "auction", (400_000, 1_200_000), "climate", "2825",
     "244", (4, 1)),
    ("supply", "setevik", "Поставка сетевого оборудования и телефонных аппаратов", "quotation",
     (300_000, 900_000), "network", "2630", "244", (3, 0)),
    ("supply", "kanctorg", "Поставка офисной техники", "single_p4", (100_000, 550_000), "office", "2823", "244",
     (2, 0)),
    ("supply", "autodealer", "Поставка легкового автомобиля", "auction", (1_900_000, 2_600_000), "car", "2910",
     "244", (2, 0)),
    ("supply", "kanctorg", "Поставка канцелярских товаров и бумаги", "single_p4", (90_000, 450_000), None,
     "1723", "244", (1, 0)),
    ("supply", "print", "Поставка картриджей и расходных материалов для оргтехники", "quotation",
     (250_000, 700_000), None, "2829", "244", ("draft",)),
    ("services", "clean", "Оказание услуг по уборке служебных помещений", "auction", (1_200_000, 1_800_000),
     None, "8121", "244", (1, 0)),
    ("services", "security", "Оказание охранных услуг", "tender", (1_500_000, 2_400_000), None, "8010", "244",
     (1, 0)),
    ("services", "medic", "Оказание услуг по проведению предрейсовых и послерейсовых медицинских осмотров "
     "водителей", "quotation", (180_000, 320_000), None, "8621", "244", (0,)),
    ("services", "insurance", "Оказание услуг по обязательному страхованию гражданской ответственности "
     "владельцев транспортных средств", "quotation", (90_000, 180_000), None, "6512", "244", (1, 0)),
    ("services", "soft", "Предоставление неисключительных прав на использование программного обеспечения",
     "single_p4", (200_000, 590_000), None, "5829", "244", (0,)),
    ("services", "sokolova", "Оказание услуг по переплёту архивных документов", "single_p4",
     (40_000, 120_000), None, "1814", "244", (0,)),
    ("works", "remstroy", "Выполнение работ по текущему ремонту кабинетов", "auction", (900_000, 2_800_000),
     None, "4339", "244", (2, 0)),
    ("lease", "landlord", "Аренда нежилых помещений (гаражные боксы)", "other", (480_000, 720_000), None,
     "6820", "244", ("lease",)),
    ("utilities", "energo", "Энергоснабжение", "other", (600_000, 950_000), None, "3514", "247", (1, 0)),
    ("utilities", "teplo", "Теплоснабжение", "other", (800_000, 1_300_000), None, "3530", "247", (1, 0)),
    ("utilities", "voda", "Холодное водоснабжение и водоотведение", "other", (90_000, 160_000), None, "3600",
     "244", (0,)),
    ("utilities", "waste", "Оказание услуг по обращению с твёрдыми коммунальными отходами", "other",
     (40_000, 90_000), None, "3821", "244", (0,)),
    ("communications", "telecom", "Оказание услуг местной и внутризоновой телефонной связи", "other",
     (120_000, 260_000), None, "6110", "244", (0,)),
    ("communications", "internet", "Оказание услуг доступа к сети Интернет", "quotation", (150_000, 300_000),
     None, "6110", "244", (0,)),
    ("fuel", "fuel1", "Поставка моторного топлива с использованием топливных карт", "auction",
     (1_800_000, 2_800_000), None, "1920", "244", (1, 0)),
    ("fuel", "fuel2", "Поставка моторного топлива через АЗС по топливным картам", "quotation",
     (400_000, 900_000), None, "1920", "244", (0,)),
    ("maintenance", "autoservice", "Техническое обслуживание и ремонт служебных автомобилей", "auction",
     (600_000, 1_200_000), None, "4520", "244", (1, 0)),
    ("maintenance", "print", "Заправка картриджей и ремонт оргтехники", "single_p4", (150_000, 400_000), None,
     "9511", "244", (0,)),
    ("maintenance", "klimat", "Техническое обслуживание систем кондиционирования", "single_p4",
     (80_000, 250_000), None, "3312", "244", (0, "draft")),
    ("services", "clean", "Оказание услуг по мойке служебных автомобилей", "single_p5", (60_000, 150_000), None,
     "4520", "244", (2,)),
)
# (supplier, subject or None for any, years back) of contracts terminated instead of executed.
TERMINATED = {("clean", "Оказание услуг по уборке служебных помещений", 1), ("remstroy", None, 2)}

# Vehicles: (make, model, fuel, tank, norm l/100 km, WMI or None (no VIN), price range, year range)
VEHICLES = (
    ("LADA", "Vesta", FuelType.ai92, 55, "7.60", "XTA", (1_050_000, 1_450_000), (-8, -1)),
    ("LADA", "Vesta SW", FuelType.ai92, 55, "7.90", "XTA", (1_150_000, 1_550_000), (-6, -1)),
    ("LADA", "Largus", FuelType.ai92, 50, "8.50", "XTA", (950_000, 1_450_000), (-9, -2)),
    ("LADA", "Granta", FuelType.ai92, 50, "7.20", "XTA", (690_000, 950_000), (-10, -3)),
    ("УАЗ", "Patriot", FuelType.ai92, 72, "13.50", "XTT", (1_250_000, 1_850_000), (-9, -2)),
    ("Toyota", "Camry", FuelType.ai95, 60, "9.80", "XW7", (1_900_000, 2_600_000), (-12, -7)),
    ("Skoda", "Octavia", FuelType.ai95, 50, "7.50", "XW8", (1_200_000, 1_750_000), (-11, -6)),
    ("Hyundai", "Solaris", FuelType.ai92, 50, "6.80", "Z94", (690_000, 980_000), (-12, -6)),
    ("Kia", "Rio", FuelType.ai92, 50, "6.90", "Z94", (720_000, 990_000), (-11, -5)),
    ("Volkswagen", "Polo", FuelType.ai95, 55, "7.10", "XW8", (720_000, 960_000), (-12, -6)),
    ("Renault", "Logan", FuelType.ai92, 50, "7.40", "X7L", (520_000, 720_000), (-13, -7)),
    ("Haval", "Jolion", FuelType.ai92, 55, "8.10", "XZG", (1_900_000, 2_300_000), (-3, 0)),
    ("Chery", "Tiggo 7 Pro", FuelType.ai92, 51, "8.30", "LVV", (2_100_000, 2_600_000), (-3, 0)),
    ("Toyota", "Land Cruiser Prado", FuelType.diesel, 87, "11.20", "JTE", (3_200_000, 4_400_000), (-12, -8)),
    ("ГАЗ", "3110 «Волга»", FuelType.ai92, 70, "13.00", None, (165_000, 230_000), (-26, -24)),
    ("ВАЗ", "21053", FuelType.ai92, 39, "9.10", None, (42_000, 61_000), (-29, -27)),
)
# How many of each VEHICLES row to make (20 in total).
VEHICLE_MIX = (3, 1, 2, 1, 2, 1, 1, 2, 1, 1, 0, 1, 1, 1, 1, 1)

PLATE_LETTERS = "АВЕКМНОРСТУХ"
VIN_CHARS = "ABCDEFGHJKLMNPRSTUVWXYZ0123456789"


# --------------------------------------------------------------------------------------------
# Small generators
# --------------------------------------------------------------------------------------------

def _digits(rng: random.Random, n: int) -> str:
    return "".join(rng.choice("0123456789") for _ in range(n))


def make_inn10(rng: random.Random, region: str = REGION) -> str:
    body = f"{region}{rng.randint(47, 53):02d}{_digits(rng, 5)}"
    return body + calc_company_check_digit(body)


def make_inn12(rng: random.Random, region: str = REGION) -> str:
    body = f"{region}{rng.randint(47, 53):02d}{_digits(rng, 6)}"
    return body + calc_personal_check_digits(body)


def make_ogrn(rng: random.Random, year: int, region: str = REGION) -> str:
    body = f"1{year % 100:02d}{region}{_digits(rng, 7)}"
    return body + str(int(body) % 11 % 10)


def make_ogrnip(rng: random.Random, year: int, region: str = REGION) -> str:
    body = f"3{year % 100:02d}{region}{_digits(rng, 9)}"
    return body + str(int(body) % 13 % 10)


def make_bik(rng: random.Random) -> str:
    return f"047501{rng.randint(100, 999)}"


_ACCOUNT_WEIGHTS = (7, 1, 3) * 8


def make_account(rng: random.Random, bik: str, prefix: str = "40702") -> str:
    """A 20-digit settlement account in rubles (810) whose control key (9th digit) matches the BIK."""
    account = f"{prefix}810" + "0" + _digits(rng, 11)
    key = (("0" + bik[4:6]) if bik[6:] == "000" else bik[6:]) + account
    total = sum(int(d) * w % 10 for d, w in zip(key, _ACCOUNT_WEIGHTS))
    weight = _ACCOUNT_WEIGHTS[3 + 8]
    control = next(k for k in range(10) if (total + k * weight % 10) % 10 == 0)
    return account[:8] + str(control) + account[9:]


def _luhn_complete(body: str) -> str:
    total = 0
    for i, d in enumerate(reversed(body)):
        n = int(d)
        if i % 2 == 0:
            n *= 2
            if n > 9:
                n -= 9
        total += n
    return body + str((10 - total % 10) % 10)


def _money(rng: random.Random, lo, hi) -> Decimal:
    rubles = rng.randint(int(lo), int(hi))
    if rubles >= 1000 and rng.random() < 0.6:
        rubles = rubles // 10 * 10 - (rng.choice((0, 10)) if rubles > 100 else 0)  # prices like 45 990,00
        kopecks = 0
    else:
        kopecks = rng.randint(0, 99)
    return (Decimal(rubles) + Decimal(kopecks) / 100).quantize(KOPECK)


def _day_between(rng: random.Random, start: date, end: date) -> date:
    if end <= start:
        return start
    return start + timedelta(days=rng.randint(0, (end - start).days))


def _weighted(rng: random.Random, items, weights):
    return rng.choices(items, weights=weights, k=1)[0]


@dataclass
class _Person:
    full_name: str
    short: str  # Фамилия И. О.
    male: bool


@dataclass
class _AssetPlan:
    category: AssetCategory
    name: str
    book_value: Decimal
    accepted_on: date
    commissioned_on: date | None
    status: AssetStatus
    room: Room | None
    responsible: Employee | None
    department: Department | None
    supplier: Supplier | None = None
    contract: Contract | None = None
    serial_number: str | None = None
    year_made: int | None = None
    written_off_on: date | None = None
    notes: str | None = None
    obj: Asset | None = field(default=None, repr=False)


class _Names:
    def __init__(self, rng: random.Random):
        self.rng = rng
        self.used: set[str] = set()

    def person(self, male: bool) -> _Person:
        rng = self.rng
        while True:
            surname = rng.choice(MALE_SURNAMES)
            patronymic = rng.choice(PATRONYMICS)
            if male:
                first, middle = rng.choice(MALE_NAMES), patronymic[0]
            else:
                surname = _female_surname(surname)
                first, middle = rng.choice(FEMALE_NAMES), patronymic[1]
            full = f"{surname} {first} {middle}"
            if full not in self.used:
                self.used.add(full)
                return _Person(full, f"{surname} {first[0]}. {middle[0]}.", male)


# --------------------------------------------------------------------------------------------
# The seed
# --------------------------------------------------------------------------------------------

def existing_rows(session) -> list[tuple[str, int]]:
    """(label, count) for every guarded table that already has rows."""
    found = []
    for model, singular, plural in GUARDED_TABLES:
        count = session.scalar(select(func.count()).select_from(model))
        if count:
            found.append((singular if count == 1 else plural, count))
    return found


def seed_demo(session, *, assets: int = 5000, seed: int = 2026, today: date | None = None) -> list[str]:
    """Fill an empty database with a demo office; return summary lines (counts and credentials).

    Raises :class:`DemoRefused` if any domain table (or the user table) already has rows.
    """
    found = existing_rows(session)
    if found:
        listed = ", ".join(f"{count} {label}" for label, count in found)
        raise DemoRefused(f"The database already has data ({listed}); seed-demo only fills an empty database.")
    if assets < 0:
        raise ValueError("assets must not be negative")
    if "audit" not in session.info:
        begin_batch(session, username="seed-demo")
    return _Seeder(session, random.Random(seed), today or date.today(), assets).run()


class _Seeder:
    def __init__(self, session, rng: random.Random, today: date, asset_count: int):
        self.s = session
        self.rng = rng
        self.today = today
        self.asset_count = asset_count
        self.names = _Names(rng)

    # -- helpers ---------------------------------------------------------------------------
    def soon(self, lo: int = 2, hi: int = SOON - 2) -> date:
        return self.today + timedelta(days=self.rng.randint(lo, hi))

    def later(self, lo: int = SOON + 15, hi: int = 365) -> date:
        return self.today + timedelta(days=self.rng.randint(lo, hi))

    def flush(self, objects) -> None:
        objects = list(objects)
        for start in range(0, len(objects), CHUNK):
            self.s.add_all(objects[start:start + CHUNK])
            self.s.flush()

    # -- steps -----------------------------------------------------------------------------
    def run(self) -> list[str]:
        self.make_departments()
        self.make_employees()
        self.make_categories()
        self.make_suppliers()
        self.make_contracts()
        self.make_premises()
        self.plan_vehicles()
        self.plan_assets()
        self.settle_contract_amounts()  # before the first flush: the change log shows final amounts
        self.flush(self.departments.values())
        self.flush(self.employees)
        self.flush(self.categories.values())
        self.flush(self.suppliers.values())
        self.flush(self.contracts)
        self.flush(self.buildings)
        self.flush(self.rooms)
        self.write_assets()
        self.write_vehicles()
        self.write_fuel_cards()
        self.write_sim_cards()
        self.make_users()
        clerk = next(u for u, _ in self.users if u.role is Role.clerk)
        return self.summary() + seed_fleet_month(self.s, self.rng, self.today, self.vehicles, self.employees, clerk)

    def make_departments(self) -> None:
        self.departments: dict[str, Department] = {}
        for code, name, parent, _staff in DEPARTMENTS:
            self.departments[code] = Department(name=name, code=code,
                                                parent=self.departments[parent] if parent else None)

    def make_employees(self) -> None:
        rng = self.rng
        total = sum(count for *_, staff in DEPARTMENTS for _p, count, _s, _f in staff)
        numbers = sorted(rng.sample(range(1, 1400), total))
        self.employees: list[Employee] = []
        self.people: dict[int, _Person] = {}
        self.mols: dict[str, list[Employee]] = {}
        self.heads: dict[str, Employee] = {}
        self.drivers: list[Employee] = []
        self.by_position: dict[tuple[str, str], Employee] = {}
        for code, _name, _parent, staff in DEPARTMENTS:
            for position, count, sex, flags in staff:
                for _ in range(count):
                    male = sex == "m" if sex else rng.random() < 0.3
                    person = self.names.person(male)
                    emp = Employee(full_name=person.full_name, position=position,
                                   department=self.departments[code],
                                   personnel_number=f"{numbers[len(self.employees)]:06d}",
                                   is_responsible="mol" in flags, is_driver="driver" in flags,
                                   is_active="gone" not in flags)
                    if "driver" in flags:
                        emp.licence_number = f"{rng.choice((REGION, '99'))} {rng.randint(10, 39)} " \
                                             f"{rng.randint(100000, 999999)}"
                        self.drivers.append(emp)
                    self.employees.append(emp)
                    self.people[id(emp)] = person
                    self.by_position.setdefault((code, position), emp)
                    if "mol" in flags:
                        self.mols.setdefault(code, []).append(emp)
                    if "head" in flags:
                        self.heads[code] = emp
        # Driving licences: a few run out within 30 days.
        expiring = set(rng.sample(range(len(self.drivers)), min(3, len(self.drivers))))
        for i, emp in enumerate(self.drivers):
            emp.licence_expires_on = self.soon() if i in expiring else self.later(120, 3400)

    def make_categories(self) -> None:
        self.categories: dict[str, AssetCategory] = {}
        self.category_meta: dict[str, tuple] = {}
        for key, name, okof, account, kind, life, weight, group in CATEGORIES:
            self.categories[key] = AssetCategory(name=name, okof_code=okof, balance_account=account,
                                                 property_kind=kind, default_useful_life_months=life)
            self.category_meta[key] = (weight, group, life)

    def make_suppliers(self) -> None:
        rng = self.rng
        self.suppliers: dict[str, Supplier] = {}
        self.supplier_groups: dict[str, list[Supplier]] = {}
        used_inns = set()
        for key, form, name, group in SUPPLIERS:
            year = rng.randint(2002, 2019)
            bik = make_bik(rng)
            person = None
            if form == "ИП":
                while (inn := make_inn12(rng)) in used_inns:
                    pass
                surname, first, middle = name.split()
                short = f"ИП {surname} {first[0]}. {middle[0]}."
                full = f"Индивидуальный предприниматель {name}"
                kpp, ogrn = None, make_ogrnip(rng, year)
                account = make_account(rng, bik, "40802")
                contact = name
            else:
                while (inn := make_inn10(rng)) in used_inns:
                    pass
                short = f'{form} "{name}"'
                full = f'{LEGAL_FORMS[form]} "{name}"'
                kpp = f"{inn[:4]}01001"
                ogrn = make_ogrn(rng, year)
                account = make_account(rng, bik)
                person = self.names.person(rng.random() < 0.5)
                contact = person.full_name
            used_inns.add(inn)
            street = rng.choice(STREETS)
            slug = rng.choice(("info", "office", "sale", "zakaz", "tender"))
            supplier = Supplier(
                full_name=full, short_name=short, inn=inn, kpp=kpp, ogrn=ogrn,
                address=f"4540{rng.randint(0, 9)}{rng.randint(0, 9)}, Челябинская обл., {CITY}, {street}, "
                        f"д. {rng.randint(1, 180)}" + (f", оф. {rng.randint(1, 450)}" if rng.random() < 0.6 else ""),
                contact_person=contact,
                phone=f"+7 (351) {rng.randint(200, 799)}-{rng.randint(10, 99)}-{rng.randint(10, 99)}",
                email=f"{slug}@{key}-74.ru", bik=bik, settlement_account=account,
            )
            self.suppliers[key] = supplier
            if group:
                self.supplier_groups.setdefault(group, []).append(supplier)

    def make_contracts(self) -> None:
        rng, today = self.rng, self.today
        customer_inn = CUSTOMER_INN_BODY + calc_company_check_digit(CUSTOMER_INN_BODY)
        self.contracts: list[Contract] = []
        self.contract_group: dict[int, str | None] = {}  # id(contract) -> asset group
        self.contract_range: dict[int, tuple[int, int]] = {}
        plan_positions: dict[int, int] = {}
        numbers: dict[int, int] = {}
        procurement = [e for e in self.employees if e.department.code == "06"]
        ood = [e for e in self.employees if e.department.code in ("02", "02.1") and e.is_responsible]
        for kind, sup_key, subject, method, amount_range, group, okpd, kvr, periods in CONTRACTS:
            for period in periods:
                if period == "draft":
                    signed = today + timedelta(days=rng.randint(5, 25))
                    starts, ends, status = signed, signed + timedelta(days=365), ContractStatus.draft
                elif period == "lease":
                    signed = date(today.year - 3, rng.randint(1, 3), rng.randint(10, 28))
                    starts = signed
                    ends = date(signed.year + 5, signed.month, signed.day) - timedelta(days=1)
                    status = ContractStatus.active
                elif period == 0:
                    signed = today - timedelta(days=rng.randint(12, 300))
                    starts = signed
                    ends = max(date(today.year, 12, 31), self.later(60, 240))
                    status = ContractStatus.active
                else:
                    year = today.year - period
                    signed = _day_between(rng, date(year, 1, 15), date(year, 10, 31))
                    starts = signed
                    ends = signed + timedelta(days=rng.randint(30, 75)) if kind == "supply" else date(year, 12, 31)
                    ends = min(ends, today - timedelta(days=1))
                    terminated = (sup_key, subject, period) in TERMINATED or (sup_key, None, period) in TERMINATED
                    status = ContractStatus.terminated if terminated else ContractStatus.executed
                    if terminated:
                        ends = _day_between(rng, signed + timedelta(days=40), date(year, 12, 20))
                yy = signed.year % 100
                numbers[signed.year] = numbers.get(signed.year, 0) + 1
                seq = numbers[signed.year]
                suffix = {"auction": "-ЭА", "tender": "-К", "quotation": "-ЗК"}.get(method, "")
                number = f"{seq}{suffix}/{yy:02d}" if method != "other" else f"{_digits(rng, 6)}/{yy:02d}"
                plan_positions[signed.year] = plan_positions.get(signed.year, 0) + 1
                ikz_okpd = "0000" if method.startswith("single") else okpd
                ikz = (f"{yy:02d}3{customer_inn}{CUSTOMER_KPP}{plan_positions[signed.year]:04d}000"
                       f"{ikz_okpd}{kvr}")
                supplier = self.suppliers[sup_key]
                amount = _money(rng, *amount_range)
                contract = Contract(
                    number=number, signed_on=signed, supplier=supplier, subject=subject,
                    kind=ContractKind(kind), procurement_method=ProcurementMethod(method), ikz=ikz,
                    amount=amount, starts_on=starts, ends_on=ends, status=status,
                    responsible=rng.choice(ood if kind in ("fuel", "maintenance", "utilities", "lease")
                                           and ood else procurement),
                )
                self.contracts.append(contract)
                self.contract_group[id(contract)] = group
        # A few active contracts run out within 30 days.
        active = [c for c in self.contracts if c.status is ContractStatus.active
                  and c.kind is not ContractKind.lease]
        for c in rng.sample(active, min(4, len(active))):
            c.ends_on = self.soon(3, SOON - 2)
        for c in self.contracts:
            c.vat = self._vat(c)
        self.lease_contract = next((c for c in self.contracts if c.kind is ContractKind.lease), None)

    def _vat(self, contract: Contract) -> Decimal | None:
        if contract.supplier.inn and len(contract.supplier.inn) == 12:
            return None  # ИП on the simplified tax system: без НДС
        return (contract.amount * 20 / 120).quantize(KOPECK, rounding=ROUND_HALF_UP)

    def make_premises(self) -> None:
        admin_b = Building(name="Административное здание", address=f"454091, {CITY}, ул. Свободы, д. 155",
                           cadastral_number=f"{REGION}:36:0506001:245", total_area=Decimal("2154.40"),
                           right_of_use=RightOfUse.operational, year_built=1967)
        method_b = Building(name="Здание информационно-методического центра",
                            address=f"454080, {CITY}, ул. Энтузиастов, д. 12",
                            cadastral_number=f"{REGION}:36:0402013:87", total_area=Decimal("862.70"),
                            right_of_use=RightOfUse.operational, year_built=1982)
        garage = Building(name="Гаражный комплекс", address=f"454010, {CITY}, Копейское ш., д. 38, стр. 2",
                          cadastral_number=f"{REGION}:36:0601012:1045", total_area=Decimal("412.00"),
                          right_of_use=RightOfUse.lease, lease_contract=self.lease_contract, year_built=1990)
        self.buildings = [admin_b, method_b, garage]
        # (building, number, floor, purpose, department code, area)
        layout = [
            (admin_b, "101", 1, "Вахта", "02", "12.10"),
            (admin_b, "102", 1, "Архив", "04", "34.50"),
            (admin_b, "103", 1, "Склад хозяйственный", "02", "41.20"),
            (admin_b, "104", 1, "Кабинет", "02", "18.40"),
            (admin_b, "105", 1, "Мастерская", "02", "22.00"),
            (admin_b, "106", 1, "Серверная", "07", "16.30"),
            (admin_b, "107", 1, "Кабинет", "07", "24.60"),
            (admin_b, "108", 1, "Кабинет", "07", "18.90"),
            (admin_b, "201", 2, "Приёмная", "01", "26.40"),
            (admin_b, "202", 2, "Кабинет начальника управления", "01", "38.70"),
            (admin_b, "203", 2, "Кабинет заместителя начальника", "01", "22.10"),
            (admin_b, "204", 2, "Кабинет заместителя начальника", "01", "21.80"),
            (admin_b, "205", 2, "Зал совещаний", "01", "64.30"),
            (admin_b, "206", 2, "Бухгалтерия", "03", "36.20"),
            (admin_b, "207", 2, "Кабинет главного бухгалтера", "03", "18.50"),
            (admin_b, "208", 2, "Касса", "03", "9.60"),
            (admin_b, "209", 2, "Отдел кадров", "04", "24.80"),
            (admin_b, "210", 2, "Юридический отдел", "05", "23.10"),
            (admin_b, "301", 3, "Кабинет", "06", "24.20"),
            (admin_b, "302", 3, "Кабинет", "06", "18.30"),
            (admin_b, "303", 3, "Кабинет", "08", "24.40"),
            (admin_b, "304", 3, "Кабинет", "08", "24.10"),
            (admin_b, "305", 3, "Кабинет", "08", "18.70"),
            (admin_b, "306", 3, "Кабинет начальника отдела", "08", "17.90"),
            (admin_b, "307", 3, "Методический кабинет", "08", "36.80"),
            (admin_b, "401", 4, "Кабинет", "09", "24.30"),
            (admin_b, "402", 4, "Кабинет", "09", "24.50"),
            (admin_b, "403", 4, "Кабинет начальника отдела", "09", "18.10"),
            (admin_b, "404", 4, "Кабинет", "10", "24.00"),
            (admin_b, "405", 4, "Кабинет начальника отдела", "10", "17.60"),
            (method_b, "101", 1, "Актовый зал", "10", "142.50"),
            (method_b, "102", 1, "Кабинет", "10", "20.40"),
            (method_b, "103", 1, "Кабинет", "09", "19.80"),
            (method_b, "201", 2, "Компьютерный класс", "07", "58.20"),
            (method_b, "202", 2, "Кабинет", "08", "22.60"),
            (method_b, "203", 2, "Методическая библиотека", "08", "48.90"),
            (garage, "Бокс 1", 1, "Гаражный бокс", "02.1", "72.00"),
            (garage, "Бокс 2", 1, "Гаражный бокс", "02.1", "72.00"),
            (garage, "Бокс 3", 1, "Гаражный бокс", "02.1", "96.00"),
            (garage, "4", 1, "Комната водителей", "02.1", "18.50"),
            (garage, "5", 1, "Кладовая", "02.1", "12.40"),
        ]
        self.rooms: list[Room] = []
        self.room_dept: dict[int, Department] = {}
        for building, number, floor, purpose, code, area in layout:
            mols = self.mols.get(code) or self.mols["02"]
            responsible = mols[-1] if purpose in ("Серверная", "Компьютерный класс") else mols[0]
            if code == "02" and purpose in ("Склад хозяйственный", "Мастерская", "Вахта"):
                responsible = self.by_position[("02", "Заведующий хозяйством")]
            room = Room(building=building, number=number, floor=floor, area=Decimal(area), purpose=purpose,
                        responsible=responsible)
            self.rooms.append(room)
            self.room_dept[id(room)] = self.departments[code]
        self.server_room = next(r for r in self.rooms if r.purpose == "Серверная")
        self.store_room = next(r for r in self.rooms if r.purpose == "Склад хозяйственный")
        self.garage_boxes = [r for r in self.rooms if r.purpose == "Гаражный бокс"]
        self.office_rooms = [r for r in self.rooms if r not in (self.server_room, self.store_room)
                             and r.purpose != "Гаражный бокс"]
        # Bigger rooms hold more things.
        self.office_weights = [float(r.area) ** 0.7 for r in self.office_rooms]

    # -- assets ----------------------------------------------------------------------------
    def plan_vehicles(self) -> None:
        """Vehicles and the car assets they belong to (one asset per vehicle)."""
        rng, today = self.rng, self.today
        n_buildings = min(2, self.asset_count)
        n_vehicles = min(sum(VEHICLE_MIX), self.asset_count - n_buildings)
        specs = [spec for spec, count in zip(VEHICLES, VEHICLE_MIX) for _ in range(count)][:n_vehicles]
        car_contracts = sorted((c for c in self.contracts if self.contract_group[id(c)] == "car"
                                and c.status is not ContractStatus.draft), key=lambda c: c.signed_on)
        new_specs = [i for i, s in enumerate(specs) if s[7][1] == 0]  # makes still bought today
        contract_for = dict(zip(new_specs, car_contracts))
        garage_mol = self.heads.get("02.1") or self.employees[0]
        transport = self.departments["02.1"]
        self.vehicle_plans: list[tuple[Vehicle, _AssetPlan]] = []
        plates, vins = set(), set()
        order = list(range(len(specs)))
        oldest_first = sorted(order, key=lambda i: specs[i][7][0])
        statuses = {i: VehicleStatus.in_service for i in order}
        if specs:
            statuses[oldest_first[0]] = VehicleStatus.decommissioned
        for i in oldest_first[1:3]:
            statuses[i] = VehicleStatus.reserve
        for i in rng.sample(oldest_first[3:], min(2, max(0, len(oldest_first) - 3))):
            statuses[i] = VehicleStatus.under_repair
        drivers = [d for d in self.drivers if d.position != "Механик"]
        rng.shuffle(drivers)
        for i, (make, model, fuel, tank, norm, wmi, prices, years) in enumerate(specs):
            contract = contract_for.get(i)
            if contract:
                accepted = min(today, contract.signed_on + timedelta(days=rng.randint(12, 40)))
                year_made = accepted.year
            else:
                year_made = today.year + rng.randint(*years)
                accepted = _day_between(rng, date(year_made, 2, 1), min(today, date(year_made, 12, 20)))
            commissioned = min(today, accepted + timedelta(days=rng.randint(2, 10)))
            while (plate := f"{rng.choice(PLATE_LETTERS)}{rng.randint(1, 999):03d}"
                            f"{rng.choice(PLATE_LETTERS)}{rng.choice(PLATE_LETTERS)}"
                            f"{rng.choice(('74', '174', '174'))}") in plates:
                pass
            plates.add(plate)
            vin = None
            if wmi:
                while True:
                    vin = wmi + "".join(rng.choice(VIN_CHARS) for _ in range(8)) + _digits(rng, 6)
                    if vin not in vins:
                        vins.add(vin)
                        break
            status = statuses[i]
            age_years = today.year - year_made
            vehicle = Vehicle(
                plate=plate, vin=vin, make=make, model=model, year_made=year_made, fuel_type=fuel,
                tank_capacity=tank, fuel_norm=Decimal(norm),
                odometer_km=max(300, int(age_years * rng.randint(14000, 32000) + rng.randint(0, 9000))),
                sts_number=f"{rng.choice((REGION, '99'))}{rng.randint(10, 99)} {rng.randint(100000, 999999)}",
                pts_number=(_digits(rng, 15) if year_made >= 2022 else
                            f"{rng.choice(('63', '74', '40', '78'))} "
                            f"{rng.choice(PLATE_LETTERS)}{rng.choice(PLATE_LETTERS)} {rng.randint(100000, 999999)}"),
                status=status, registered_on=min(today, commissioned + timedelta(days=rng.randint(1, 9))),
            )
            asset_status = {VehicleStatus.in_service: AssetStatus.in_use,
                            VehicleStatus.reserve: AssetStatus.in_use,
                            VehicleStatus.under_repair: AssetStatus.under_repair,
                            VehicleStatus.decommissioned: AssetStatus.written_off}[status]
            written_off_on = None
            if status is VehicleStatus.decommissioned:
                written_off_on = _day_between(rng, today - timedelta(days=700), today - timedelta(days=90))
                vehicle.deregistered_on = written_off_on + timedelta(days=rng.randint(3, 20))
            else:
                vehicle.osago_policy = f"ХХХ {_digits(rng, 10)}"
                vehicle.osago_expires_on = self.later(SOON + 10, 360)
                if age_years >= 4:  # newer cars need no diagnostic card for ОСАГО
                    vehicle.diagnostic_card = _digits(rng, 15)
                    vehicle.diagnostic_expires_on = self.later(SOON + 10, 700)
                if status is not VehicleStatus.reserve and drivers:
                    vehicle.driver = drivers.pop()
            plan = _AssetPlan(
                category=self.categories["car"], name=f"Автомобиль легковой {make} {model}",
                book_value=_money(rng, *prices), accepted_on=accepted, commissioned_on=commissioned,
                status=asset_status, room=self.garage_boxes[i % len(self.garage_boxes)] if self.garage_boxes else None,
                responsible=garage_mol, department=transport,
                supplier=contract.supplier if contract else None, contract=contract,
                serial_number=vin, year_made=year_made, written_off_on=written_off_on,
            )
            self.vehicle_plans.append((vehicle, plan))
        # ОСАГО and diagnostic cards running out within 30 days.
        live = [v for v, _ in self.vehicle_plans if v.osago_expires_on]
        for v in rng.sample(live, min(3, len(live))):
            v.osago_expires_on = self.soon()
        with_card = [v for v in live if v.diagnostic_expires_on]
        for v in rng.sample(with_card, min(2, len(with_card))):
            v.diagnostic_expires_on = self.soon()

    def plan_assets(self) -> None:
        rng, today = self.rng, self.today
        plans: list[_AssetPlan] = []
        # Buildings held in operational management.
        ood = self.departments["02"]
        keeper = self.by_position[("02", "Заведующий хозяйством")]
        for building, value in zip(self.buildings[:min(2, self.asset_count)],
                                   (Decimal("38456210.45"), Decimal("9874312.80"))):
            accepted = date(2003, 7, 1) if building.year_built < 1980 else date(2006, 3, 15)
            plans.append(_AssetPlan(category=self.categories["building"], name=f"{building.name}, {building.address}",
                                    book_value=value, accepted_on=accepted, commissioned_on=accepted,
                                    status=AssetStatus.in_use, room=None, responsible=keeper, department=ood,
                                    year_made=building.year_built))
        plans.extend(plan for _v, plan in self.vehicle_plans)

        keys = [k for k, meta in self.category_meta.items() if meta[0] > 0]
        weights = [self.category_meta[k][0] for k in keys]
        contracts_by_group: dict[str, list[Contract]] = {}
        for c in self.contracts:
            group = self.contract_group[id(c)]
            if group and c.status is not ContractStatus.draft and c.signed_on <= today - timedelta(days=10):
                contracts_by_group.setdefault(group, []).append(c)
        earliest = min((c.signed_on for cs in contracts_by_group.values() for c in cs), default=today)
        legacy_from, legacy_to = date(today.year - 16, 1, 10), earliest - timedelta(days=30)

        for _ in range(self.asset_count - len(plans)):
            key = _weighted(rng, keys, weights)
            _weight, group, life = self.category_meta[key]
            prefix, items = CATALOG[key]
            name, lo, hi, _w = _weighted(rng, items, [item[3] for item in items])
            contract = None
            supplier = None
            candidates = contracts_by_group.get(group, [])
            if candidates and rng.random() < 0.62:
                contract = rng.choice(candidates)
                supplier = contract.supplier
                span = max(7, min(40, (contract.ends_on - contract.signed_on).days))
                accepted = min(today, contract.signed_on + timedelta(days=rng.randint(7, span)))
            else:
                accepted = _day_between(rng, legacy_from, legacy_to)
                if rng.random() < 0.5 and self.supplier_groups.get(group):
                    supplier = rng.choice(self.supplier_groups[group])
            commissioned = min(today, accepted + timedelta(days=rng.randint(0, 14)))
            age = (today - accepted).days
            r = rng.random()
            status, written_off_on = AssetStatus.in_use, None
            if age > 3 * 365 and r < 0.035:
                status = AssetStatus.written_off
                written_off_on = _day_between(rng, commissioned + timedelta(days=2 * 365), today - timedelta(days=1))
            elif r < 0.09:
                status = AssetStatus.in_storage
                if age < 365 and rng.random() < 0.7:
                    commissioned = None  # received, not yet issued
            elif r < 0.11 and key not in ("furniture", "metal"):
                status = AssetStatus.under_repair

            if status is AssetStatus.in_storage:
                room = self.store_room
            elif key == "server" or (key == "network" and rng.random() < 0.4):
                room = self.server_room
            else:
                room = _weighted(rng, self.office_rooms, self.office_weights)
            serial = f"{prefix}{''.join(rng.choice(VIN_CHARS) for _ in range(9))}" if prefix else None
            plans.append(_AssetPlan(
                category=self.categories[key], name=name, book_value=_money(rng, lo, hi), accepted_on=accepted,
                commissioned_on=commissioned, status=status, room=room, responsible=room.responsible,
                department=self.room_dept[id(room)], supplier=supplier, contract=contract, serial_number=serial,
                year_made=accepted.year - (1 if rng.random() < 0.3 else 0), written_off_on=written_off_on,
            ))
        # Inventory numbers grow with the date the thing was taken on the books.
        plans.sort(key=lambda p: p.accepted_on)
        self.asset_plans = plans

    def settle_contract_amounts(self) -> None:
        """A supply contract is worth at least what was delivered under it."""
        delivered: dict[int, Decimal] = {}
        for p in self.asset_plans:
            if p.contract is not None:
                delivered[id(p.contract)] = delivered.get(id(p.contract), Decimal("0")) + p.book_value
        for c in self.contracts:
            total = delivered.get(id(c))
            if total and total > c.amount:
                c.amount = (total * Decimal("1.03")).quantize(KOPECK)
                if c.procurement_method is ProcurementMethod.single_p4 and c.amount > 600_000:
                    c.procurement_method = ProcurementMethod.quotation
                c.vat = self._vat(c)

    def write_assets(self) -> None:
        today = self.today
        objects = []
        for seq, p in enumerate(self.asset_plans, start=1):
            cat = p.category
            life = cat.default_useful_life_months
            at = p.written_off_on or today
            depreciation = accumulated_at(p.book_value, p.commissioned_on, life, at)
            p.obj = Asset(
                inventory_number=f"0{cat.balance_account.replace('.', '')}{seq:07d}",
                name=p.name, category_id=cat.id, serial_number=p.serial_number, year_made=p.year_made,
                accepted_on=p.accepted_on, commissioned_on=p.commissioned_on, book_value=p.book_value,
                depreciation=depreciation, useful_life_months=life, balance_account=cat.balance_account,
                status=p.status, responsible_id=p.responsible.id if p.responsible else None,
                department_id=p.department.id if p.department else None,
                room_id=p.room.id if p.room else None,
                supplier_id=p.supplier.id if p.supplier else None,
                contract_id=p.contract.id if p.contract else None,
                written_off_on=p.written_off_on, notes=p.notes,
            )
            objects.append(p.obj)
        self.flush(objects)
        self.assets = objects

    def write_vehicles(self) -> None:
        for vehicle, plan in self.vehicle_plans:
            vehicle.asset_id = plan.obj.id
        self.vehicles = [v for v, _ in self.vehicle_plans]
        self.flush(self.vehicles)

    def write_fuel_cards(self) -> None:
        rng = self.rng
        providers = [(self.suppliers["fuel1"], "78260100"), (self.suppliers["fuel2"], "70058300")]
        active_contract = {}
        for c in self.contracts:
            if c.kind is ContractKind.fuel and c.status is ContractStatus.active:
                active_contract[id(c.supplier)] = c
        numbers = set()

        def number(prefix):
            while True:
                value = _luhn_complete(prefix + _digits(rng, 7))
                if value not in numbers:
                    numbers.add(value)
                    return value

        cards = []

        def card(vehicle, holder, status, fuel, valid_until):
            provider, prefix = providers[0] if rng.random() < 0.7 else providers[1]
            cards.append(FuelCard(
                number=number(prefix), provider_id=provider.id,
                contract_id=active_contract[id(provider)].id if id(provider) in active_contract else None,
                vehicle_id=vehicle.id if vehicle else None, holder_id=holder.id if holder else None,
                fuel_type=fuel, monthly_limit_l=rng.choice((150, 200, 250, 300, 350, 400)),
                valid_until=valid_until, status=status,
            ))

        mechanic = self.heads.get("02.1")
        for v in self.vehicles:
            if v.status is VehicleStatus.decommissioned:
                continue
            status = FuelCardStatus.blocked if v.status is VehicleStatus.under_repair else FuelCardStatus.active
            card(v, v.driver or mechanic, status, v.fuel_type, self.later(90, 1000))
        for _ in range(4):  # reserve cards kept by the mechanic
            card(None, mechanic, FuelCardStatus.active, rng.choice((FuelType.ai92, FuelType.ai95)),
                 self.later(90, 1000))
        for status, count in ((FuelCardStatus.blocked, 2), (FuelCardStatus.lost, 2), (FuelCardStatus.closed, 30)):
            for _ in range(count):
                if len(cards) >= 30:
                    break
                past = status is FuelCardStatus.closed
                card(None, rng.choice(self.drivers) if self.drivers and not past else None, status,
                     FuelType.ai92,
                     self.today - timedelta(days=rng.randint(30, 700)) if past else self.later(60, 700))
        active = [c for c in cards if c.status is FuelCardStatus.active]
        for c in rng.sample(active, min(3, len(active))):
            c.valid_until = self.soon()
        self.flush(cards)
        self.fuel_cards = cards

    def write_sim_cards(self) -> None:
        """Service SIM cards: heads of departments and drivers hold one on the communications contract."""
        rng = self.rng
        operator = next((c for c in self.contracts if c.kind is ContractKind.communications), None)
        holders = sorted({*self.heads.values(), *self.drivers}, key=lambda e: e.id)
        cards = [SimCard(phone=f"+7912{n:07d}", operator_id=(operator.supplier_id if operator else
                                                           next(iter(self.suppliers.values())).id),
                         contract_id=operator.id if operator else None, holder_id=holder.id,
                         tariff=rng.choice(("Корпоративный", "Корпоративный безлимит")),
                         monthly_limit=Decimal(rng.choice((300, 500, 800))), issued_on=self.today - timedelta(
                             days=rng.randint(30, 900)), status=SimCardStatus.active)
                 for n, holder in enumerate(holders, start=1000001)]
        self.flush(cards)
        self.sim_cards = cards

    def make_users(self) -> None:
        by = self.by_position
        people = {
            Role.admin: self.heads.get("07"),
            Role.clerk: by.get(("02", "Заведующий хозяйством")),
            Role.accountant: self.heads.get("03"),
            Role.head: self.heads.get("02"),
            Role.viewer: by.get(("01", "Заместитель начальника управления")),
        }
        self.users = []
        for role in Role:
            username = role.value
            password = f"demo-{username}"
            emp = people.get(role)
            user = create_user(self.s, username, password, role, full_name=emp.full_name if emp else username)
            if emp is not None:
                user.employee_id = emp.id
            self.users.append((user, password))
        self.s.flush()

    # -- summary ---------------------------------------------------------------------------
    def summary(self) -> list[str]:
        today = self.today
        soon = today + timedelta(days=SOON)
        by_status: dict[AssetStatus, int] = {}
        for a in self.assets:
            by_status[a.status] = by_status.get(a.status, 0) + 1
        status_text = ", ".join(f"{s.value} {n}" for s, n in sorted(by_status.items(), key=lambda kv: -kv[1]))
        mols = sum(1 for e in self.employees if e.is_responsible)
        deadlines = {
            "ОСАГО": sum(1 for v in self.vehicles if v.osago_expires_on and v.osago_expires_on <= soon),
            "diagnostic cards": sum(1 for v in self.vehicles
                                    if v.diagnostic_expires_on and v.diagnostic_expires_on <= soon),
            "contracts": sum(1 for c in self.contracts
                             if c.status is ContractStatus.active and c.ends_on and c.ends_on <= soon),
            "fuel cards": sum(1 for c in self.fuel_cards
                              if c.status is FuelCardStatus.active and c.valid_until and c.valid_until <= soon),
            "driving licences": sum(1 for e in self.drivers if e.licence_expires_on and e.licence_expires_on <= soon),
        }
        lines = [
            f"Departments: {len(self.departments)}",
            f"Employees: {len(self.employees)} ({mols} materially responsible, {len(self.drivers)} drivers)",
            f"Asset categories: {len(self.categories)}",
            f"Buildings: {len(self.buildings)}",
            f"Rooms: {len(self.rooms)}",
            f"Suppliers: {len(self.suppliers)}",
            f"Contracts: {len(self.contracts)}",
            f"Assets: {len(self.assets)}" + (f" ({status_text})" if status_text else ""),
            f"Vehicles: {len(self.vehicles)}",
            f"Fuel cards: {len(self.fuel_cards)}",
            f"SIM cards: {len(self.sim_cards)}",
            "Due within 30 days: " + ", ".join(f"{k} {n}" for k, n in deadlines.items()),
            f"Users: {len(self.users)} (change these passwords before real use)",
        ]
        for user, password in self.users:
            lines.append(f"  {user.username} / {password} — role {user.role.value} ({user.full_name})")
        return lines


def seed_fleet_month(session, rng: random.Random, today: date, vehicles, employees, clerk) -> list[str]:
    """The previous month on the line: norm cards, requests, waybills issued and closed, card statements
    imported through the services, with a few of each reconciliation problem planted; and one waybill of
    yesterday left open after its shift (the home page lists it)."""
    from datetime import datetime, time

    from models import (FleetSettings, FuelCard, FuelNorm, FuelSurcharge, FuelTransaction, SurchargeKind, Waybill,
                        WaybillStatus)
    from models.rules import Refused
    from services import fleet as fl
    from services.fuel_statement import import_statement

    session.add(FleetSettings(region="Челябинская область", winter_from="11-01", winter_to="03-31",
                              winter_order="Распоряжение Правительства области о зимнем периоде",
                              overrun_tolerance_pct=Decimal("5")))
    last = today.replace(day=1) - timedelta(days=1)
    first = last.replace(day=1)
    cards = {c.vehicle_id: c for c in session.scalars(select(FuelCard).where(FuelCard.vehicle_id.is_not(None),
                                                                             FuelCard.status == "active"))}
    fleet = [v for v in vehicles if v.status is VehicleStatus.in_service and v.driver_id and v.id in cards
             and v.tank_capacity and v.osago_expires_on and v.osago_expires_on > today
             and v.diagnostic_expires_on and v.diagnostic_expires_on > today]
    for v in fleet:
        norm = FuelNorm(vehicle_id=v.id, valid_from=first.replace(month=1), base_norm=v.fuel_norm or Decimal("9.0"),
                        order_number="12-од", order_date=first.replace(month=1) - timedelta(days=10))
        norm.surcharges = [FuelSurcharge(kind=SurchargeKind.winter, percent=Decimal("12"), valid_from=norm.valid_from,
                                         order_number="12-од", order_date=norm.order_date),
                           FuelSurcharge(kind=SurchargeKind.urban, percent=Decimal("15"), valid_from=norm.valid_from,
                                         order_number="12-од", order_date=norm.order_date)]
        session.add(norm)
    session.flush()
    staff = [e for e in employees if not e.is_driver]
    lines: dict[int, list] = {}  # provider → statement lines
    level = {v.id: Decimal(v.tank_capacity) / 2 for v in fleet}
    waybills = requests = 0

    def fill(card, at, litres, product=None):
        lines.setdefault(card.provider_id, []).append(
            (f"{at:%d.%m.%Y %H:%M}", card.number, "АЗС № 7, пр. Ленина, 12",
             product or {"ai92": "АИ-92", "ai95": "АИ-95", "diesel": "ДТ", "gas": "Газ"}[card.fuel_type.value],
             f"{litres:.2f}", "56.40", f"{(litres * Decimal('56.40')).quantize(KOPECK)}"))

    days = [first + timedelta(days=i) for i in range((last - first).days + 1)]
    planted_over_norm = planted_foreign = False
    for day in days:
        if day.weekday() >= 5:
            continue
        for v in fleet:
            if rng.random() > 0.6:
                continue
            requester = rng.choice(staff)
            start = rng.choice((8, 9, 10, 13))
            try:
                r = fl.request_trip(session, requester.id, day, time(start), time(start + 3),
                                    rng.choice(("Управление — Минфин области — Управление",
                                                "Управление — Казначейство — Управление",
                                                "Управление — Арбитражный суд — Управление",
                                                "Управление — склад на ул. Героев Танкограда — Управление")),
                                    rng.choice(("Доставка документов", "Сдача отчётности", "Получение ТМЦ",
                                                "Служебная поездка руководителя")))
                fl.assign(session, r, v.id, v.driver_id)
                card = cards[v.id]
                foreign = not planted_foreign and v is fleet[1] and len(fleet) > 2
                w = fl.issue_waybill(session, clerk, v.id, v.driver_id, day, departure_at=datetime.combine(
                    day, time(start - 1, 40)), tech_check_at=datetime.combine(day, time(start - 1, 20)),
                    medical_at=datetime.combine(day, time(start - 1, 25)), medic_name="Фельдшер Карпова И. А.",
                    fuel_card_id=cards[fleet[0].id].id if foreign else card.id)
            except Refused:
                continue
            requests += 1
            waybills += 1
            km = rng.randint(25, 140)
            norm = fl.norm_on(session, v, day).litres(km)
            burnt = (norm * Decimal(rng.uniform(0.9, 1.03))).quantize(KOPECK)
            if not planted_over_norm and waybills > 5:
                burnt, planted_over_norm = (norm * Decimal("1.4")).quantize(KOPECK), True
            received = Decimal(0)
            if w.fuel_out - burnt < Decimal(v.tank_capacity) * Decimal("0.3"):
                received = (Decimal(v.tank_capacity) - w.fuel_out).quantize(Decimal("1"))
                fill(cards[fleet[0].id] if foreign else card, datetime.combine(day, time(start, 30)), received)
                planted_foreign = planted_foreign or foreign
            fuel_in = max(w.fuel_out + received - burnt, Decimal(0))
            fl.close_waybill(session, w, clerk, odometer_in=w.odometer_out + km, fuel_in=fuel_in,
                             fuel_received=received, return_at=datetime.combine(day, time(start + 3, 20)),
                             post_medical_at=datetime.combine(day, time(start + 3, 30)))
            level[v.id] = fuel_in
    # Planted problems: fuel on a Saturday (no waybill), a wrong product, more than the tank, over the limit.
    saturday = next(d for d in days if d.weekday() == 5)
    for v in fleet[:2]:
        fill(cards[v.id], datetime.combine(saturday, time(11, 5)), Decimal("25"))
    some = session.scalars(select(Waybill).where(Waybill.status == WaybillStatus.approved,
                                                    Waybill.valid_from.between(first, last))
                           .order_by(Waybill.id).limit(3)).all()
    if some:
        w0 = some[0]
        fill(cards[w0.vehicle_id], w0.departure_at + timedelta(hours=1), Decimal("5"), "ДТ Евро")
        fill(cards[w0.vehicle_id], w0.departure_at + timedelta(minutes=10), Decimal(w0.vehicle.tank_capacity))
    limited = cards[fleet[-1].id]
    limited.monthly_limit_l = 150
    for n in range(3):
        fill(limited, datetime.combine(saturday + timedelta(days=1), time(9 + n)), Decimal("60"))
    for provider_id, rows in lines.items():
        data = ("Дата и время;Номер карты;АЗС;Товар;Количество, л;Цена;Сумма\n"
                + "".join(";".join(row) + "\n" for row in rows)).encode("utf-8")
        import_statement(session, provider_id, data, f"выписка {first:%m.%Y}.csv")
    # Yesterday's waybill still open: not closed after its shift.
    yesterday = today - timedelta(days=1)
    if fleet and yesterday.month == today.month:
        try:
            fl.issue_waybill(session, clerk, fleet[-1].id, fleet[-1].driver_id, yesterday)
        except Refused:
            pass
    session.flush()
    count = session.scalar(select(func.count()).select_from(FuelTransaction))
    return [f"Fleet: {requests} transport requests and {waybills} waybills in {first:%m.%Y}, {count} card "
            f"transactions; planted reconciliation problems (no waybill, wrong product, over tank, over limit, "
            f"over norm, card of another vehicle)"]
