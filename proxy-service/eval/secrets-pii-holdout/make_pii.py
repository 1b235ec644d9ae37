#!/usr/bin/env python3
"""Generate pii-ide-holdout.jsonl (CC0-1.0).

Texts are written with inline markers [[type:value]]; the markers are stripped
and span offsets (Python str indices) computed by code. Every card number is
Luhn-checked, every IBAN mod-97-checked, every SSN range-checked.
All people, numbers and addresses are invented. Run: python3 make_pii.py
"""
import json, os, re, sys
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from common import *  # noqa

TYPES = ("email", "phone", "credit_card", "iban", "us_ssn", "ip_address")
MARK = re.compile(r"\[\[(email|phone|credit_card|iban|us_ssn|ip_address):(.*?)\]\]")


def m(t, v):
    assert t in TYPES
    return f"[[{t}:{v}]]"


# ---------------------------------------------------------------- validators
def luhn_ok(num):
    d = [int(c) for c in re.sub(r"\D", "", num)]
    s = 0
    for i, x in enumerate(reversed(d)):
        if i % 2 == 1:
            x *= 2
            if x > 9:
                x -= 9
        s += x
    return s % 10 == 0


def iban_ok(iban):
    s = iban.replace(" ", "")
    s = s[4:] + s[:4]
    return int("".join(str(int(c, 36)) for c in s)) % 97 == 1


def ssn_ok(s):
    d = re.sub(r"\D", "", s)
    a, g, n = int(d[:3]), int(d[3:5]), int(d[5:])
    return len(d) == 9 and 0 < a < 900 and a != 666 and g > 0 and n > 0


# ---------------------------------------------------------------- value generators
def luhn_complete(prefix, length):
    body = prefix + r(DIG, length - len(prefix) - 1)
    for c in DIG:
        if luhn_ok(body + c):
            return body + c


def card(brand=None, grouping=None):
    brand = brand or pick("visa", "visa", "mc", "mc2", "amex", "discover", "jcb")
    pre, ln = {"visa": ("4", 16), "mc": (str(R.randint(51, 55)), 16), "mc2": (str(R.randint(2221, 2720)), 16),
               "amex": (pick("34", "37"), 15), "discover": ("6011", 16), "jcb": (str(R.randint(3528, 3589)), 16)}[brand]
    n = luhn_complete(pre, ln)
    g = grouping or pick("space", "dash", "none", "space")
    if g == "none":
        out = n
    else:
        sep = " " if g == "space" else "-"
        parts = [n[:4], n[4:10], n[10:]] if ln == 15 else [n[i:i + 4] for i in range(0, 16, 4)]
        out = sep.join(parts)
    assert luhn_ok(out)
    return out


def bad_card(grouping="space"):
    n = card("visa", "none")
    last = str((int(n[-1]) + R.randint(1, 9)) % 10)
    n = n[:-1] + last
    assert not luhn_ok(n)
    return " ".join(n[i:i + 4] for i in range(0, 16, 4)) if grouping == "space" else n


BBAN = {
    "DE": lambda: r(DIG, 18),
    "GB": lambda: r(UP, 4) + r(DIG, 14),
    "FR": lambda: r(DIG, 10) + r(DIG, 11) + r(DIG, 2),
    "ES": lambda: r(DIG, 20),
    "NL": lambda: r(UP, 4) + r(DIG, 10),
    "IT": lambda: r(UP, 1) + r(DIG, 10) + r(DIG, 12),
    "CH": lambda: r(DIG, 17),
    "BE": lambda: r(DIG, 12),
    "AT": lambda: r(DIG, 16),
    "PL": lambda: r(DIG, 24),
    "IE": lambda: r(UP, 4) + r(DIG, 14),
}


def nonluhn(n):
    while True:
        x = str(R.randint(1, 9)) + r(DIG, n - 1)
        if not luhn_ok(x):
            return x


def iban_check(cc, bban):
    s = bban + cc + "00"
    return "%02d" % (98 - int("".join(str(int(c, 36)) for c in s)) % 97)


def iban(cc=None, spaced=None):
    cc = cc or pick(*BBAN)
    b = BBAN[cc]()
    s = cc + iban_check(cc, b) + b
    if spaced is None:
        spaced = R.random() < 0.6
    if spaced:
        s = " ".join(s[i:i + 4] for i in range(0, len(s), 4))
    assert iban_ok(s)
    return s


def bad_iban(cc=None):
    cc = cc or pick("DE", "FR", "NL", "ES", "GB")
    b = BBAN[cc]()
    good = iban_check(cc, b)
    bad = "%02d" % ((int(good) + R.randint(1, 90) - 2) % 97 + 2)
    if bad == good:
        bad = "%02d" % ((int(good) + 1 - 2) % 97 + 2)
    s = cc + bad + b
    assert not iban_ok(s)
    return " ".join(s[i:i + 4] for i in range(0, len(s), 4))


def ssn(fmt="dash"):
    while True:
        a = R.randint(1, 899)
        if a != 666:
            break
    s = f"{a:03d}-{R.randint(1, 99):02d}-{R.randint(1, 9999):04d}"
    if fmt == "none":
        s = s.replace("-", "")
    elif fmt == "space":
        s = s.replace("-", " ")
    assert ssn_ok(s)
    return s


def phone(kind=None):
    kind = kind or pick("us1", "us2", "us3", "us4", "uk", "de", "fr", "jp", "es", "au", "us5")
    x = "%02d" % R.randint(0, 99)
    area = pick("415", "212", "312", "617", "206", "512", "303")
    return {
        "us1": f"({area}) 555-01{x}",
        "us2": f"{area}-555-01{x}",
        "us3": f"+1 {area} 555 01{x}",
        "us4": f"{area}.555.01{x}",
        "us5": f"+1-{area}-555-01{x}",
        "uk": f"+44 20 7946 0{R.randint(0, 999):03d}",
        "de": f"+49 {pick('30', '89', '40', '221')} {r(DIG, 3)} {r(DIG, 4)}",
        "fr": f"+33 {pick('1', '6', '7')} {r(DIG, 2)} {r(DIG, 2)} {r(DIG, 2)} {r(DIG, 2)}",
        "jp": f"+81 {pick('3', '6')}-{r(DIG, 4)}-{r(DIG, 4)}",
        "es": f"+34 {pick('6', '9')}{r(DIG, 2)} {r(DIG, 3)} {r(DIG, 3)}",
        "au": f"+61 491 570 {R.randint(100, 999)}",
    }[kind]


FIRST = ["lena", "marco", "priya", "tom", "aiko", "sam", "jonas", "ines", "ravi", "chloe", "mateo", "yuki", "olga", "kwame", "sofia", "bjorn"]
LAST = ["vogt", "diaz", "nair", "berg", "sato", "okafor", "keller", "moreau", "iyer", "lindqvist", "ferreira", "tanaka", "novak", "mensah"]
DOMS = ["example.com", "example.org", "example.net", "mail.example.com", "eu.support.example.org", "corp.example",
        "northwind.test", "fernhill-labs.example", "students.uni-example.edu", "acme-corp.test"]


def email(style=None):
    f, l = pick(*FIRST), pick(*LAST)
    style = style or pick("dot", "plus", "init", "plain", "num", "sub")
    d = pick(*DOMS)
    if style == "dot":
        loc = f"{f}.{l}"
    elif style == "plus":
        loc = f"{f}.{l}+{pick('invoices', 'github', 'test', 'newsletter', 'staging')}"
    elif style == "init":
        loc = f"{f[0]}{l}"
    elif style == "num":
        loc = f"{f}{R.randint(1, 99)}"
    elif style == "sub":
        loc = f"{f}_{l}"
        d = pick("dev.", "eu.", "mail.") + pick("example.com", "acme-corp.test")
    else:
        loc = f
    return f"{loc}@{d}"


def ipv4(kind=None):
    kind = kind or pick("doc", "doc", "priv10", "priv192", "priv172", "public")
    if kind == "doc":
        return pick("192.0.2.", "198.51.100.", "203.0.113.") + str(R.randint(1, 254))
    if kind == "priv10":
        return f"10.{R.randint(0, 255)}.{R.randint(0, 255)}.{R.randint(1, 254)}"
    if kind == "priv192":
        return f"192.168.{R.randint(0, 255)}.{R.randint(1, 254)}"
    if kind == "priv172":
        return f"172.{R.randint(16, 31)}.{R.randint(0, 255)}.{R.randint(1, 254)}"
    if kind == "loop":
        return "127.0.0.1"
    return f"{pick('34', '52', '81', '91', '145', '185', '212')}.{R.randint(0, 255)}.{R.randint(0, 255)}.{R.randint(1, 254)}"


def ipv6(kind=None):
    kind = kind or pick("doc", "doc", "full", "ll")
    if kind == "doc":
        return "2001:db8:" + ":".join(format(R.randint(0, 0xffff), "x") for _ in range(2)) + "::" + format(R.randint(1, 0xffff), "x")
    if kind == "full":
        return "2001:0db8:" + ":".join(format(R.randint(0, 0xffff), "04x") for _ in range(6))
    if kind == "ll":
        return "fe80::" + ":".join(format(R.randint(0, 0xffff), "x") for _ in range(4))
    return "::1"


def name():
    return pick(*FIRST).capitalize() + " " + pick(*LAST).capitalize()


def ts():
    return f"2026-{R.randint(1, 11):02d}-{R.randint(1, 28):02d}T{R.randint(0, 23):02d}:{R.randint(0, 59):02d}:{R.randint(0, 59):02d}Z"


# ====================================================================== POSITIVE templates
P = []
def pos(f):
    P.append(f)
    return f


@pos
def p_nginx_log():
    return "\n".join(f'{m("ip_address", ipv4())} - - [30/Nov/2026:{R.randint(10, 23)}:{R.randint(10, 59)}:{R.randint(10, 59)} +0000] "{pick("GET", "POST")} {pick("/api/v1/cart", "/login", "/static/app.js", "/healthz")} HTTP/1.1" {pick(200, 200, 302, 404, 499)} {R.randint(120, 48000)} "-" "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 Chrome/131.0.6778.85"'
                     for _ in range(R.randint(2, 4)))


@pos
def p_csv_customers():
    rows = ["id,name,email,phone,created_at"]
    for i in range(R.randint(2, 4)):
        rows.append(f"{R.randint(1000, 9999)},{name()},{m('email', email())},{m('phone', phone())},2026-{R.randint(1, 11):02d}-{R.randint(1, 28):02d}")
    return "fixtures/customers.csv:\n" + "\n".join(rows)


@pos
def p_sql_insert():
    vals = ",\n  ".join(f"({R.randint(1, 500)}, '{name()}', '{m('email', email())}', '{m('us_ssn', ssn())}')" for _ in range(R.randint(1, 3)))
    return f"INSERT INTO employees (id, full_name, email, ssn) VALUES\n  {vals};\n-- seed data for the HR module tests"


@pos
def p_json_payment():
    return f"""{{
  "event": "payment.failed",
  "occurred_at": "{ts()}",
  "customer": {{ "email": "{m('email', email())}", "phone": "{m('phone', phone())}" }},
  "card": {{ "number": "{m('credit_card', card(grouping='none'))}", "exp": "{R.randint(1, 12):02d}/{R.randint(27, 31)}" }},
  "amount": {R.randint(100, 99999)},
  "currency": "usd"
}}"""


@pos
def p_ticket():
    return f"""Support ticket #{R.randint(40000, 99999)}
From: {name()} <{m('email', email())}>
Subject: charged twice

Hi, my card {m('credit_card', card())} was charged twice for order {R.randint(100000, 999999)}. Please call me back at {m('phone', phone())} — I'm available after 5pm."""


@pos
def p_stacktrace_email():
    return f"""Traceback (most recent call last):
  File "/srv/app/users/service.py", line 214, in register
    raise DuplicateUser(email)
users.errors.DuplicateUser: user with email '{m('email', email())}' already exists (tenant_id=42, request_id={ruuid()})"""


@pos
def p_iban_sepa():
    return f"""SEPA payout failed for vendor {R.randint(100, 999)}:
  creditor_iban: {m('iban', iban())}
  amount: {R.randint(10, 9999)}.{R.randint(0, 99):02d} EUR
  error: AC04 (account closed)"""


@pos
def p_iban_json_nospace():
    return json.dumps({"payee": name(), "iban": "@@I@@", "bic": r(UP, 6) + r(UP + DIG, 2), "reference": f"INV-2026-{R.randint(1000, 9999)}"}, indent=2).replace("@@I@@", m("iban", iban(spaced=False)))


@pos
def p_ssn_form():
    return f"""// W-9 form handler test
const applicant = {{
  name: "{name()}",
  ssn: "{m('us_ssn', ssn())}",
  dob: "19{R.randint(55, 99)}-{R.randint(1, 12):02d}-{R.randint(1, 28):02d}",
  phone: "{m('phone', phone(pick('us1', 'us2', 'us5')))}",
}};
expect(validateW9(applicant)).toBe(true);"""


@pos
def p_ssn_nodash():
    return f"""2026-11-30 12:01:44 WARN  kyc.verify  mismatch for applicant_id={R.randint(10000, 99999)}: provided_ssn={m('us_ssn', ssn('none'))} expected_last4={R.randint(1000, 9999)}"""


@pos
def p_ip_config():
    return f"""# /etc/hosts
{m('ip_address', '127.0.0.1')}   localhost
{m('ip_address', ipv4('priv10'))}   db-primary
{m('ip_address', ipv4('priv10'))}   db-replica
{m('ip_address', '::1')}         localhost ip6-localhost"""


@pos
def p_ipv6_log():
    return f"""{ts()} sshd[{R.randint(1000, 30000)}]: Failed password for invalid user admin from {m('ip_address', ipv6())} port {R.randint(30000, 65000)} ssh2
{ts()} sshd[{R.randint(1000, 30000)}]: Accepted publickey for deploy from {m('ip_address', ipv4())} port {R.randint(30000, 65000)} ssh2"""


@pos
def p_ipv6_url():
    a = ipv6("doc")
    return f"""curl -v "http://[{m('ip_address', a)}]:8080/metrics"
*   Trying [{m('ip_address', a)}]:8080...
* connect to {m('ip_address', a)} port 8080 failed: Connection refused"""


@pos
def p_prose_phone():
    return f"""Can you update the on-call sheet? Marco's new number is {m('phone', phone())} and the escalation contact is {m('email', email())}. The old pager number should be removed."""


@pos
def p_yaml_config():
    return f"""alerting:
  email:
    to: [{m('email', email())}, {m('email', email('plus'))}]
    smtp_host: {m('ip_address', ipv4('priv192'))}
    smtp_port: 587
  sms:
    to: "{m('phone', phone(pick('us3', 'us5', 'uk')))}\""""


@pos
def p_test_fixture_cards():
    brands = R.sample(["visa", "mc", "amex", "discover", "mc2", "jcb"], 3)
    lines = "\n".join(f'    ("{b}", "{m("credit_card", card(b))}"),' for b in brands)
    return f"""@pytest.mark.parametrize("brand,number", [
{lines}
])
def test_detect_brand(brand, number):
    assert detect_brand(number) == brand"""


@pos
def p_german_ticket():
    return f"""Hallo Support-Team,

bitte überweisen Sie die Rückerstattung auf mein Konto {m('iban', iban('DE'))}. Bei Rückfragen erreichen Sie mich unter {m('phone', phone('de'))} oder per Mail an {m('email', email())}.

Viele Grüße"""


@pos
def p_spanish_ticket():
    return f"""Hola, el cliente dice que no recibió el correo de confirmación en {m('email', email())}. Su teléfono es {m('phone', phone('es'))} y pagó con la tarjeta {m('credit_card', card())}. ¿Podéis revisar los logs?"""


@pos
def p_japanese_ticket():
    return f"""お問い合わせありがとうございます。登録メールアドレス {m('email', email())} 宛に確認メールを再送しました。届かない場合は {m('phone', phone('jp'))} までご連絡ください。"""


@pos
def p_french_iban():
    return f"""Merci de mettre à jour le RIB du fournisseur : IBAN {m('iban', iban('FR'))}, titulaire {name()}. Contact comptable : {m('email', email())}."""


@pos
def p_firewall_rules():
    return f"""resource "aws_security_group_rule" "office" {{
  type              = "ingress"
  from_port         = 22
  to_port           = 22
  protocol          = "tcp"
  cidr_blocks       = ["{m('ip_address', ipv4('doc'))}/32", "{m('ip_address', ipv4('public'))}/32"]
  security_group_id = aws_security_group.bastion.id
}}"""


@pos
def p_docker_inspect():
    return f"""$ docker inspect -f '{{{{range .NetworkSettings.Networks}}}}{{{{.IPAddress}}}}{{{{end}}}}' api
{m('ip_address', ipv4('priv172'))}
$ curl {m('ip_address', ipv4('priv172'))}:3000/health
curl: (7) Failed to connect"""


@pos
def p_k8s_endpoints():
    return f"""$ kubectl get endpoints orders -o wide
NAME     ENDPOINTS                                        AGE
orders   {m('ip_address', ipv4('priv10'))}:8080,{m('ip_address', ipv4('priv10'))}:8080   14d"""


@pos
def p_git_author():
    return f"""$ git log -1 --format='%H %an <%ae>'
{r(HEX, 40)} {name()} <{m('email', email())}>"""


@pos
def p_package_json_author():
    return f"""{{
  "name": "@acme/form-utils",
  "version": "2.3.1",
  "author": "{name()} <{m('email', email())}>",
  "bugs": {{ "email": "{m('email', email('plus'))}" }},
  "license": "MIT"
}}"""


@pos
def p_ssn_csv():
    rows = ["employee_id,last_name,ssn,hire_date"]
    for _ in range(R.randint(2, 4)):
        rows.append(f"E{R.randint(10000, 99999)},{pick(*LAST).capitalize()},{m('us_ssn', ssn())},20{R.randint(10, 26)}-{R.randint(1, 12):02d}-{R.randint(1, 28):02d}")
    return "\n".join(rows)


@pos
def p_mixed_debug():
    return f"""DEBUG checkout.validate payload={{'email': '{m('email', email())}', 'card': '{m('credit_card', card())}', 'cvc': '***', 'ip': '{m('ip_address', ipv4())}', 'cart_total': {R.randint(5, 900)}.{R.randint(0, 99):02d}}}"""


@pos
def p_go_test():
    return f"""func TestMaskIBAN(t *testing.T) {{
	got := MaskIBAN("{m('iban', iban())}")
	if !strings.HasPrefix(got, "****") {{
		t.Fatalf("not masked: %s", got)
	}}
}}"""


@pos
def p_rust_test():
    return f"""#[test]
fn parses_contact() {{
    let c = Contact::parse("{name()} <{m('email', email())}>, tel. {m('phone', phone())}").unwrap();
    assert!(c.phone.is_some());
}}"""


@pos
def p_chat_prose_ip():
    return f"""the staging box at {m('ip_address', ipv4())} keeps dropping connections from our office ({m('ip_address', ipv4('doc'))}). Running 4.19.2 of the agent and the version from last week (4.18.0) didn't have this. any idea?"""


@pos
def p_ipv6_nginx():
    return f"""server {{
    listen [{m('ip_address', ipv6('full'))}]:443 ssl;
    server_name api.example.org;
    allow {m('ip_address', ipv4('doc'))};
    deny all;
}}"""


@pos
def p_card_amex_ticket():
    return f"""Customer says checkout rejects their Amex {m('credit_card', card('amex'))} with "invalid number". Our regex only accepts 16 digits — is that the bug?"""


@pos
def p_iban_multi():
    ccs = R.sample(list(BBAN), 3)
    rows = "\n".join(f"| {cc} | {m('iban', iban(cc))} | {R.randint(1, 99)}.{R.randint(0, 99):02d} |" for cc in ccs)
    return f"""Payout batch {R.randint(1000, 9999)} preview:
| country | iban | amount |
|---|---|---|
{rows}"""


@pos
def p_graphql_response():
    return f"""{{
  "data": {{
    "user": {{
      "id": "{R.randint(1000000, 9999999)}",
      "contactEmail": "{m('email', email('sub'))}",
      "mobile": "{m('phone', phone(pick('uk', 'fr', 'au')))}",
      "lastLoginIp": "{m('ip_address', ipv4('public'))}"
    }}
  }}
}}"""


@pos
def p_env_smtp():
    return f"""MAIL_FROM={m('email', email())}
ADMIN_NOTIFY={m('email', email('plus'))}
SMTP_HOST={m('ip_address', ipv4('priv10'))}
SMTP_PORT=2525"""


@pos
def p_audit_log():
    return "\n".join(f"{ts()} audit user={m('email', email())} action={pick('login', 'export', 'delete_invoice', 'role_change')} src={m('ip_address', pick(ipv4(), ipv6()))}"
                     for _ in range(R.randint(2, 3)))


@pos
def p_loopback_prose():
    return f"""It only works when I hit {m('ip_address', '127.0.0.1')}:5000 directly; through the proxy on {m('ip_address', ipv4('priv192'))} I get a 502. Flask version is 3.0.3, Python 3.12.1."""


@pos
def p_phone_java():
    p = phone(pick('us1', 'us2', 'us4'))
    e164 = "+1" + re.sub(r"\D", "", p)
    return f"""@Test
void normalizesPhone() {{
    assertEquals("{m('phone', e164)}", PhoneUtil.normalize("{m('phone', p)}"));
}}"""


@pos
def p_stripe_webhook_bad():
    return f"""Got this in our webhook logs, shouldn't the PAN never reach us?
{{"type":"payment_method.attached","billing_details":{{"email":"{m('email', email())}","phone":"{m('phone', phone())}"}},"raw_card":"{m('credit_card', card(grouping='dash'))}"}}"""


@pos
def p_ssn_prose():
    return f"""The HR export has the SSN in plain text ({m('us_ssn', ssn())}) in column F, and also a phone column like {m('phone', phone('us2'))}. We need to mask both before loading into the warehouse."""


@pos
def p_wireguard():
    return f"""[Interface]
Address = {m('ip_address', ipv4('priv10'))}/24
ListenPort = 51820

[Peer]
Endpoint = {m('ip_address', ipv4('public'))}:51820
AllowedIPs = {m('ip_address', ipv4('priv10'))}/32"""


@pos
def p_ssn_space():
    return f"""OCR output from scanned form (page 2):
Name: {name()}   SSN: {m('us_ssn', ssn('space'))}   Tel: {m('phone', phone('us1'))}"""


@pos
def p_email_only_prose():
    return f"""Please add {m('email', email())} to the #incident-review channel and remove {m('email', email())}; she moved to the data team."""


@pos
def p_card_log_masking_bug():
    return f"""[{ts()}] payments.gateway ERROR tokenization failed pan={m('credit_card', card(grouping='none'))} exp=0{R.randint(1, 9)}{R.randint(27, 31)} reason=timeout after 3000ms"""


@pos
def p_iban_sql():
    return f"""UPDATE suppliers SET iban = '{m('iban', iban(spaced=False))}', updated_at = now() WHERE supplier_id = {R.randint(100, 9999)};"""


# ====================================================================== NEGATIVE templates
N = []
def neg(f):
    N.append(f)
    return f


def semver():
    return f"{R.randint(0, 20)}.{R.randint(0, 40)}.{R.randint(0, 30)}"


@neg
def n_versions_4part():
    return f"""Windows build {R.randint(10, 11)}.0.{R.randint(19041, 26100)}.{R.randint(100, 4000)}, Chrome {R.randint(118, 131)}.0.{R.randint(5000, 6800)}.{R.randint(10, 200)}, agent {R.randint(1, 9)}.{R.randint(0, 9)}.{R.randint(0, 9)}.{R.randint(0, 9)} — the crash only happens on this combination."""


@neg
def n_assembly_version():
    return f"""[assembly: AssemblyVersion("{R.randint(1, 9)}.{R.randint(0, 20)}.{R.randint(0, 200)}.{R.randint(0, 255)}")]
[assembly: AssemblyFileVersion("{R.randint(1, 9)}.{R.randint(0, 20)}.{R.randint(0, 200)}.{R.randint(0, 255)}")]"""


@neg
def n_requirements():
    return "\n".join(f"{p}=={semver()}" for p in R.sample(["requests", "urllib3", "pydantic", "fastapi", "uvicorn", "sqlalchemy", "alembic"], 4))


@neg
def n_dates_durations():
    d, h = f"2026-{R.randint(1, 11):02d}-{R.randint(1, 28):02d}", R.randint(0, 21)
    return f"""job nightly_rollup started {d}T{h:02d}:{R.randint(0, 59):02d}:{R.randint(0, 59):02d}Z finished {d}T{h + 1:02d}:{R.randint(0, 59):02d}:{R.randint(0, 59):02d}Z duration=00:{R.randint(1, 59):02d}:{R.randint(1, 59):02d}.{R.randint(100, 999)} rows={R.randint(10000, 9999999)} size={R.randint(1, 900)}.{R.randint(1, 9)} MB"""


@neg
def n_order_numbers():
    return f"""Order {R.randint(100, 999)}-{R.randint(1000000, 9999999)}-{R.randint(1000000, 9999999)} shipped, tracking 1Z{r(UP + DIG, 16)}, invoice INV-{R.randint(2020, 2026)}-{R.randint(10000, 99999)}, customer no. {R.randint(10000000, 99999999)}."""


@neg
def n_hex_colors():
    return f"""const palette = {{ primary: "#{r(HEX, 6)}", secondary: "#{r(HEX, 6)}", muted: "#{r(HEX, 3)}", overlay: "#{r(HEX, 8)}" }};"""


@neg
def n_ports():
    return f"""services:
  web:
    ports: ["{R.randint(3000, 9000)}:{R.randint(3000, 9000)}", "9229:9229"]
  db:
    ports: ["5432:5432"]
    shm_size: {R.randint(128, 1024)}mb"""


@neg
def n_floats():
    return f"""epoch {R.randint(1, 40)}/40  loss={R.random():.6f}  val_loss={R.random():.6f}  lr={R.random() / 1000:.2e}  acc={R.random():.4f}  step_time={R.randint(100, 900)}ms"""


@neg
def n_unix_ts():
    return f"""{{"created": {R.randint(1700000000, 1790000000)}, "expires_at": {R.randint(1700000000, 1790000000)}, "ttl_ms": {R.randint(1000, 9999999)}, "seq": {R.randint(1, 999999999)}}}"""


@neg
def n_git_short():
    return "\n".join(f"{r(HEX, 7)} {pick('fix', 'feat', 'chore')}: {pick('bump deps', 'handle null ids', 'retry on 503', 'add migration 0042', 'tidy logging')}" for _ in range(4))


@neg
def n_bad_luhn():
    return f"""Test: checkout must reject numbers with a bad checksum.
  "{bad_card()}" -> expect error CARD_INVALID
  "{bad_card('none')}" -> expect error CARD_INVALID"""


@neg
def n_bad_iban():
    return f"""// invalid on purpose: check digits are wrong
expect(isValidIban("{bad_iban()}")).toBe(false);
expect(isValidIban("{bad_iban()}")).toBe(false);"""


@neg
def n_numeric_ids():
    return f"""SELECT * FROM events WHERE user_id = {R.randint(100000000, 999999999)} AND session_id = {R.randint(1000000000, 9999999999)} AND created_at > '2026-11-0{R.randint(1, 9)} 00:00:00' LIMIT 100;"""


@neg
def n_npm_scopes():
    return f"""npm ls
@acme/web@{semver()}
├── @types/node@{semver()}
├── lodash@4.17.21
├── @tanstack/react-query@{semver()}
└── zod@{semver()}"""


@neg
def n_decorators():
    return """@app.route("/users/<int:user_id>")
@login_required
@cache.cached(timeout=60)
def get_user(user_id):
    return jsonify(repo.get(user_id))"""


@neg
def n_css_media():
    return """@media (max-width: 768px) { .grid { grid-template-columns: 1fr; } }
@import url("theme.css");
@supports (display: grid) { .legacy { display: none; } }"""


@neg
def n_oid():
    return f"""X509v3 Certificate Policies:
    Policy: 2.23.140.1.2.1
    Policy: 1.3.6.1.4.1.{R.randint(10000, 60000)}.1.{R.randint(1, 9)}
Serial Number: {':'.join(r(HEX, 2) for _ in range(16))}"""


@neg
def n_isbn_sku():
    return f"""catalog import: ISBN 978-{R.randint(0, 9)}-{R.randint(100, 999)}-{R.randint(10000, 99999)}-{R.randint(0, 9)}, SKU {r(UP, 3)}-{R.randint(1000, 9999)}-{r(UP, 2)}, EAN {r(DIG, 13)}"""


@neg
def n_file_sizes():
    return f"""$ du -sh * 
{R.randint(1, 999)}M	node_modules
{R.randint(1, 99)}K	src
{R.randint(1, 9)}.{R.randint(1, 9)}G	data
$ ls -l dump.sql
-rw-r--r-- 1 dev dev {R.randint(100000000, 999999999)} Nov 30 10:14 dump.sql"""


@neg
def n_invalid_ssn():
    return f"""// synthetic SSNs that can never be issued, used to test the validator
expect(isValidSsn("000-{R.randint(10, 99)}-{R.randint(1000, 9999)}")).toBe(false);
expect(isValidSsn("666-{R.randint(10, 99)}-{R.randint(1000, 9999)}")).toBe(false);
expect(isValidSsn("{R.randint(100, 665)}-00-{R.randint(1000, 9999)}")).toBe(false);"""


@neg
def n_cidr_only():
    return """Allowed ranges are documented in RFC 1918; our VPC uses a /16 per region and /24 per subnet, with 5 reserved addresses in each subnet. No public ranges are whitelisted."""


@neg
def n_prometheus():
    return f"""http_request_duration_seconds_bucket{{le="0.25",route="/api/orders"}} {R.randint(1000, 99999)}
http_request_duration_seconds_sum{{route="/api/orders"}} {R.random() * 10000:.3f}
process_resident_memory_bytes {R.randint(10 ** 7, 10 ** 9)}
go_gc_duration_seconds{{quantile="0.99"}} {R.random() / 100:.6f}"""


@neg
def n_uuid_list():
    return "\n".join(f"{ruuid()}  {pick('pending', 'done', 'failed')}  {R.randint(1, 900)}ms" for _ in range(4))


@neg
def n_phone_like_ids():
    return f"""Build #{R.randint(1000, 9999)} finished at {R.randint(10, 23)}:{R.randint(10, 59)} after {R.randint(1, 59)}m {R.randint(1, 59)}s; artifact {R.randint(2024, 2026)}.{R.randint(1, 12):02d}.{R.randint(1, 28):02d}-{R.randint(1000, 9999)}; ticket JIRA-{R.randint(1000, 9999)}."""


@neg
def n_mac_addr():
    return f"""eth0: flags=4163<UP,BROADCAST,RUNNING,MULTICAST>  mtu 1500
        ether {':'.join(r(HEX, 2) for _ in range(6))}  txqueuelen 1000  (Ethernet)
        RX packets {R.randint(10 ** 5, 10 ** 8)}  bytes {R.randint(10 ** 8, 10 ** 11)} ({R.randint(1, 99)}.{R.randint(1, 9)} GB)"""


@neg
def n_coords():
    return f"""{{"lat": {R.uniform(-80, 80):.6f}, "lng": {R.uniform(-170, 170):.6f}, "accuracy_m": {R.randint(3, 80)}, "speed": {R.random() * 30:.2f}}}"""


@neg
def n_german_prose():
    return f"""Kurzer Hinweis: Version {semver()} ist seit dem {R.randint(1, 28)}.{R.randint(1, 12)}.2026 verfügbar. Die Laufzeit des Exports liegt jetzt bei {R.randint(2, 9)},{R.randint(1, 9)} Sekunden statt {R.randint(10, 30)} Sekunden. Bestellnummer {R.randint(100000, 999999)} wurde als Testfall verwendet."""


@neg
def n_spanish_prose():
    return f"""La versión {semver()} corrige el error del pedido n.º {R.randint(10000, 99999)}. El tiempo medio de respuesta bajó de {R.randint(300, 900)} ms a {R.randint(50, 290)} ms y el tamaño del bundle es {R.randint(100, 900)} KB."""


@neg
def n_japanese_prose():
    return f"""バージョン{semver()}にアップデートしたところ、ビルド時間が{R.randint(30, 90)}秒から{R.randint(5, 29)}秒に短縮されました。注文番号{R.randint(1000000, 9999999)}で再現を確認しています。"""


@neg
def n_cron_times():
    return f"""schedule:
  - cron: "{R.randint(0, 59)} {R.randint(0, 23)} * * 1-5"
  - cron: "*/15 * * * *"
timeout-minutes: {R.randint(5, 120)}
retention-days: {R.randint(1, 90)}"""


@neg
def n_placeholder_pii():
    return """CONTACT_EMAIL=
SUPPORT_PHONE=
# fill in before deploy; leave empty to disable notifications
IBAN_FIELD_LABEL="IBAN"
CARD_NUMBER_MAX_LENGTH=19"""


@neg
def n_luhn_short():
    return f"""Tax reference {R.randint(10, 99)}/{R.randint(100, 999)}/{R.randint(10000, 99999)}, VAT DE{r(DIG, 9)}, batch {nonluhn(16)}-{R.randint(1, 9)}"""


@neg
def n_version_in_url():
    return f"""Downloading https://nodejs.org/dist/v{R.randint(18, 23)}.{R.randint(0, 12)}.{R.randint(0, 9)}/node-v{R.randint(18, 23)}.{R.randint(0, 12)}.{R.randint(0, 9)}-linux-x64.tar.xz
Python {R.randint(3, 3)}.{R.randint(10, 13)}.{R.randint(0, 9)}, pip {R.randint(23, 24)}.{R.randint(0, 3)}, OpenSSL {R.randint(1, 3)}.{R.randint(0, 4)}.{R.randint(0, 15)}"""


@neg
def n_snmp_version_quad():
    return f"""Firmware upgrade path: {R.randint(1, 5)}.{R.randint(0, 9)}.{R.randint(0, 9)}.{R.randint(0, 99)} -> {R.randint(5, 7)}.{R.randint(0, 9)}.{R.randint(0, 9)}.{R.randint(0, 99)}. Do not skip the intermediate release {R.randint(5, 6)}.0.0.{R.randint(0, 9)}."""


@neg
def n_money_table():
    rows = "\n".join(f"| {pick('Q1', 'Q2', 'Q3', 'Q4')} | {R.randint(1000, 99999):,} | {R.uniform(-20, 40):.1f}% |" for _ in range(4))
    return "| quarter | revenue | growth |\n|---|---|---|\n" + rows


@neg
def n_k8s_resources():
    return f"""resources:
  requests: {{ cpu: {R.randint(50, 900)}m, memory: {R.randint(64, 2048)}Mi }}
  limits: {{ cpu: "{R.randint(1, 4)}", memory: {R.randint(1, 8)}Gi }}
terminationGracePeriodSeconds: {R.randint(10, 120)}"""


@neg
def n_sha_short_and_ids():
    return f"""deployed {r(HEX, 7)} to prod (build {R.randint(1000, 99999)}, run {R.randint(10 ** 9, 10 ** 10 - 1)}); rollback target is {r(HEX, 7)}."""


@neg
def n_handles():
    return f"""Thanks @{pick(*FIRST)}-{pick(*LAST)} and @{pick(*FIRST)}{R.randint(1, 99)} for the review! cc @acme/platform-team — merging after CI is green."""



@pos
def p_xff_chain():
    return f"""{ts()} INFO gateway request path=/api/v2/session method=POST status=201 x_forwarded_for="{m('ip_address', ipv4('public'))}, {m('ip_address', ipv4('priv10'))}" latency_ms={R.randint(3, 900)} upstream=auth:{R.randint(8000, 8099)}"""


@pos
def p_html_mailto():
    return f"""<footer class="site-footer">
  <p>Questions? Write to <a href="mailto:{m('email', email())}">our team</a> or call <a href="tel:{m('phone', phone(pick('uk', 'de', 'us5')))}">us</a>.</p>
  <p>&copy; 2026 · v{semver()}</p>
</footer>"""


@pos
def p_python_dict_users():
    return f"""USERS = [
    {{"id": {R.randint(1, 99)}, "name": "{name()}", "email": "{m('email', email())}", "ip": "{m('ip_address', ipv6(pick('doc', 'full')))}"}},
    {{"id": {R.randint(100, 199)}, "name": "{name()}", "email": "{m('email', email('plus'))}", "ip": "{m('ip_address', ipv4())}"}},
]"""


@pos
def p_german_card_chat():
    return f"""Der Kunde hat im Chat seine komplette Kartennummer geschickt: {m('credit_card', card(pick('visa', 'mc')))}. Können wir die Nachricht löschen? Seine Rückrufnummer ist {m('phone', phone('de'))}."""


@pos
def p_spanish_iban():
    return f"""Por favor, actualizad la cuenta de cobro del proveedor a {m('iban', iban('ES'))}; la anterior ({m('iban', iban('ES', spaced=False))}) ya no está operativa."""


@pos
def p_ts_fixture():
    return f"""export const mockOrder: Order = {{
  id: "ord_{r(ALNUM, 12)}",
  buyer: {{ email: "{m('email', email())}", phone: "{m('phone', phone())}" }},
  payment: {{ pan: "{m('credit_card', card(grouping='space'))}", brand: "auto" }},
  shippingIp: "{m('ip_address', ipv4('doc'))}",
  version: "{semver()}",
}};"""


@pos
def p_mysql_processlist():
    return f"""mysql> SHOW PROCESSLIST;
| Id   | User    | Host                | db      | Command | Time | State
| {R.randint(100, 9999)} | app     | {m('ip_address', ipv4('priv10'))}:{R.randint(30000, 65000)}    | orders  | Sleep   |  {R.randint(1, 900)} |
| {R.randint(100, 9999)} | etl     | {m('ip_address', ipv4('priv172'))}:{R.randint(30000, 65000)}   | orders  | Query   |   {R.randint(1, 60)} | Sending data"""


@pos
def p_ssn_json_api():
    return f"""POST /v1/applicants returned 422:
{{"errors":[{{"field":"ssn","value":"{m('us_ssn', ssn())}","msg":"does not match name on file"}},{{"field":"email","value":"{m('email', email())}","msg":"domain not allowed"}}]}}"""


@pos
def p_japanese_ip():
    return f"""本番サーバー（{m('ip_address', ipv4('public'))}）への接続がタイムアウトします。踏み台（{m('ip_address', ipv4('priv10'))}）経由だと問題ありません。"""


@neg
def n_ipv6_like_times():
    return f"""timings: dns=0:00:00.{R.randint(100, 999)} connect=0:00:01.{R.randint(100, 999)} tls=0:00:00.{R.randint(100, 999)}
schedule window 08:30-17:45, heartbeat every 00:00:30, retention 7:00:00:00"""


@neg
def n_luhn_fail_long():
    return f"""Reconciliation: settlement ref {nonluhn(16)}, batch {nonluhn(15)}, terminal id {r(DIG, 8)}. All amounts in cents."""


@neg
def n_invalid_email_like():
    return f"""git config shows user.name={pick(*FIRST)} and no user.email set. The commit template contains `Signed-off-by: <name> <address>`. Our linter flags `@param {{string}} user` and `${{user}}@${{domain}}` templates."""


@neg
def n_java_versions():
    return f"""<dependency>
  <groupId>org.springframework.boot</groupId>
  <artifactId>spring-boot-starter-web</artifactId>
  <version>{R.randint(2, 3)}.{R.randint(0, 4)}.{R.randint(0, 12)}</version>
</dependency>
<!-- jackson {R.randint(2, 2)}.{R.randint(10, 18)}.{R.randint(0, 3)}.{R.randint(1, 9)} pulled transitively -->"""


@neg
def n_http_dates():
    return f"""HTTP/1.1 200 OK
Date: Mon, {R.randint(1, 28)} Nov 2026 {R.randint(10, 23)}:{R.randint(10, 59)}:{R.randint(10, 59)} GMT
Content-Length: {R.randint(100, 99999)}
X-Request-Id: {ruuid()}
X-RateLimit-Remaining: {R.randint(0, 5000)}
Server: nginx/1.{R.randint(20, 27)}.{R.randint(0, 3)}"""


# ---------------------------------------------------------------- build
def strip(marked):
    out, spans, pos_ = [], [], 0
    last = 0
    for mm in MARK.finditer(marked):
        out.append(marked[last:mm.start()])
        pos_ += mm.start() - last
        val = mm.group(2)
        spans.append({"type": mm.group(1), "start": pos_, "end": pos_ + len(val), "value": val})
        out.append(val)
        pos_ += len(val)
        last = mm.end()
    out.append(marked[last:])
    text = "".join(out)
    assert "[[" not in text or "[[[" in marked, text
    return text, spans


def check(text, spans):
    for s in spans:
        v = text[s["start"]:s["end"]]
        assert v == s["value"], (v, s)
        if s["type"] == "credit_card":
            assert luhn_ok(v), v
        if s["type"] == "iban":
            assert iban_ok(v), v
        if s["type"] == "us_ssn":
            assert ssn_ok(v), v


def main():
    seen = set()

    def collect(funcs, n, want_spans):
        out, i = [], 0
        while len(out) < n:
            f = funcs[i % len(funcs)]
            i += 1
            assert i < n * 30
            text, spans = strip(f())
            if text in seen:
                continue
            assert bool(spans) == want_spans, (f.__name__, text)
            check(text, spans)
            seen.add(text)
            out.append((text, spans))
        return out

    # the entity names of shared/eval/pii.jsonl (Presidio's), so that shared/eval/score.py reads this file as it is
    PRESIDIO = {"email": "EMAIL_ADDRESS", "phone": "PHONE_NUMBER", "credit_card": "CREDIT_CARD", "iban": "IBAN_CODE",
                "us_ssn": "US_SSN", "ip_address": "IP_ADDRESS"}
    rows = collect(P, 120, True) + collect(N, 80, False)
    R.shuffle(rows)
    here = os.path.dirname(os.path.abspath(__file__))
    with open(os.path.join(here, "pii-ide-holdout.jsonl"), "w", encoding="utf-8") as fh:
        for i, (text, spans) in enumerate(rows, 1):
            fh.write(json.dumps({"id": f"ph-{i:03d}", "text": text,
                                 "spans": [{"type": PRESIDIO[s["type"]], "start": s["start"], "end": s["end"]} for s in spans],
                                 "source": "holdout_pii", "license": "CC0-1.0"}, ensure_ascii=False) + "\n")
    print("templates: pos", len(P), "neg", len(N))


if __name__ == "__main__":
    main()
