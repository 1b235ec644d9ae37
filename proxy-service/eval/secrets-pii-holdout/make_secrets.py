#!/usr/bin/env python3
"""Generate secrets-ide-holdout.jsonl (CC0-1.0).

All credential bodies are random (seeded PRNG, so the file is reproducible);
none of them is a real key. Run: python3 make_secrets.py
"""
import base64, json, os, re, struct, sys
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from common import *  # noqa

# ---------------------------------------------------------------- formats
def aws_akid(): return "AKIA" + r(UP + "234567", 16)
def aws_secret(): return r(ALNUM + "/+", 40)
def ghp(): return "ghp_" + r(ALNUM, 36)
def gho(): return "gho_" + r(ALNUM, 36)
def ghs(): return "ghs_" + r(ALNUM, 36)
def gh_fine(): return "github_pat_11" + r(UP + DIG, 20) + "_" + r(ALNUM, 59)
def glpat(): return "glpat-" + r(ALNUM + "-_", 20)
def openai(): return "sk-proj-" + r(URL, 74) + "T3BlbkFJ" + r(URL, 74)
def anthropic(): return "sk-ant-api03-" + r(URL, 93) + "AA"
def stripe_live(): return "sk_live_" + pick("51" + r(UP + DIG, 6) + r(ALNUM, 91), r(ALNUM, 24))
def stripe_rk(): return "rk_live_51" + r(ALNUM, 97)
def xoxb(): return "xoxb-" + r(DIG, 12) + "-" + r(DIG, 13) + "-" + r(ALNUM, 24)
def xoxp(): return "xoxp-" + r(DIG, 12) + "-" + r(DIG, 12) + "-" + r(DIG, 13) + "-" + r(HEX, 32)
def gkey(): return "AIza" + r(URL, 35)
def npm(): return "npm_" + r(ALNUM, 36)
def pypi(): return "pypi-AgEIcHlwaS5vcmc" + r(URL, 160)
def hf(): return "hf_" + r(UP + LO, 34)
def tw_sid(): return "AC" + r(HEX, 32)
def tw_tok(): return r(HEX, 32)
def sendgrid(): return "SG." + r(URL, 22) + "." + r(URL, 43)
def azkey(): return b64(64)
def dd_api(): return r(HEX, 32)
def dd_app(): return r(HEX, 40)
def shpat(): return "shpat_" + r(HEX, 32)
def dop(): return "dop_v1_" + r(HEX, 64)
def dapi(): return "dapi" + r(HEX, 32)
def mailgun(): return "key-" + r(HEX, 32)
def vault(): return "hvs.CAESI" + r(URL, 86)
def tfc(): return r(ALNUM, 14) + ".atlasv1." + r(ALNUM, 67)
def linear(): return "lin_api_" + r(ALNUM, 40)
def postman(): return "PMAK-" + r(HEX, 24) + "-" + r(HEX, 34)
def grafana(): return "glsa_" + r(ALNUM, 32) + "_" + r(HEX, 8)
def newrelic(): return "NRAK-" + r(UP + DIG, 27)
def mailchimp(): return r(HEX, 32) + "-us" + str(R.randint(2, 21))
def cf_token(): return r(URL, 40)
def slack_hook(): return "https://hooks.slack.com/services/T" + r(UP + DIG, 8) + "/B" + r(UP + DIG, 10) + "/" + r(ALNUM, 24)
def discord_hook(): return "https://discord.com/api/webhooks/" + "1" + r(DIG, 18) + "/" + r(URL, 68)


def password(urlsafe=False):
    if urlsafe:
        return re.sub(r"[#@/?%:&^*$!]", "", password()) + r(DIG, 2)
    style = R.randint(0, 3)
    if style == 0:
        return r(ALNUM, R.randint(10, 14)) + pick("!", "#", "%", "&", "*", "@", "$") + r(DIG, 2)
    if style == 1:
        w = ["otter", "granite", "Marble", "violet", "Harbor", "cactus", "Lantern", "pepper", "Summit", "walnut", "Orbit", "thistle"]
        return pick(*w) + pick("-", ".", "_") + pick(*w) + pick("-", ".", "_") + r(DIG, R.randint(2, 4)) + pick("!", "?", "#", "")
    if style == 2:
        return r(ALNUM, 24)
    return r(ALNUM, 1) + r(ALNUM + "!#%^*", 17)


def jwt(claims=None):
    hdr = {"alg": pick("HS256", "RS256", "HS512"), "typ": "JWT"}
    if hdr["alg"] == "RS256":
        hdr["kid"] = r(HEX, 16)
    c = claims or {}
    c.setdefault("sub", str(R.randint(10000, 9999999)))
    c.setdefault("iat", 1780000000 + R.randint(0, 9000000))
    c.setdefault("exp", c["iat"] + pick(3600, 86400, 604800))
    sig_len = {"HS256": 32, "HS512": 64, "RS256": 256}[hdr["alg"]]
    return ".".join([b64url(json.dumps(hdr, separators=(",", ":")).encode()),
                     b64url(json.dumps(c, separators=(",", ":")).encode()),
                     b64url(rb(sig_len))])


def wrap64(s, n=64):
    return "\n".join(s[i:i + n] for i in range(0, len(s), n))


def pem_priv(kind="rsa"):
    if kind == "rsa":
        body = "MIIEpAIBAAKCAQEA" + base64.b64encode(rb(1180)).decode()
        return "-----BEGIN RSA PRIVATE KEY-----\n" + wrap64(body) + "\n-----END RSA PRIVATE KEY-----"
    if kind == "pkcs8":
        body = "MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQ" + base64.b64encode(rb(1160)).decode()
        return "-----BEGIN PRIVATE KEY-----\n" + wrap64(body) + "\n-----END PRIVATE KEY-----"
    if kind == "ec":
        body = "MHcCAQEEI" + base64.b64encode(rb(108)).decode()
        return "-----BEGIN EC PRIVATE KEY-----\n" + wrap64(body) + "\n-----END EC PRIVATE KEY-----"
    if kind == "openssh":
        body = "b3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQAAAAAAAAABAAAAMwAAAAtzc2gtZW" + base64.b64encode(rb(300)).decode()
        return "-----BEGIN OPENSSH PRIVATE KEY-----\n" + wrap64(body, 70) + "\n-----END OPENSSH PRIVATE KEY-----"
    raise ValueError(kind)


def ssh_pub_ed25519(comment):
    blob = struct.pack(">I", 11) + b"ssh-ed25519" + struct.pack(">I", 32) + rb(32)
    return "ssh-ed25519 " + base64.b64encode(blob).decode() + " " + comment


def ssh_pub_rsa(comment):
    blob = struct.pack(">I", 7) + b"ssh-rsa" + struct.pack(">I", 3) + b"\x01\x00\x01" + struct.pack(">I", 385) + b"\x00" + rb(384)
    return "ssh-rsa " + base64.b64encode(blob).decode() + " " + comment


HOSTS = ["db.internal", "pg-prod-1.c9xk2.eu-west-1.rds.amazonaws.com", "10.0.4.12", "postgres.staging.svc.cluster.local",
         "orders-db.prod.acme-internal.net", "db-primary", "analytics.cluster-ro-cx1.us-east-2.rds.amazonaws.com"]
USERS = ["app", "orders_svc", "admin", "billing", "etl_user", "api", "reporting_ro", "svc_backend"]
DBS = ["orders", "app_prod", "billing", "warehouse", "inventory", "core", "events"]
SERVICES = ["checkout", "billing-worker", "notifier", "search-api", "ingest", "auth-gateway", "reports"]
TEAMS = ["payments", "platform", "growth", "data", "infra"]


# ====================================================================== POSITIVES
P = []
def pos(f):
    P.append(f)
    return f


@pos
def p_env_dburl():
    pw = password(True)
    return T("""# .env (local copy of staging)
NODE_ENV=staging
PORT=<<port>>
LOG_LEVEL=debug
DATABASE_URL=postgres://<<u>>:<<pw>>@<<h>>:5432/<<db>>?sslmode=require
REDIS_HOST=redis
FEATURE_NEW_CHECKOUT=true
""", port=pick("3000", "8080", "4000"), u=pick(*USERS), pw=pw, h=pick(*HOSTS), db=pick(*DBS)), "connection-string"


@pos
def p_env_openai():
    return T("""<<c>>
OPENAI_API_KEY=<<k>>
OPENAI_MODEL=gpt-4o-mini
EMBEDDING_DIM=1536
MAX_TOKENS=2048""", c=pick("# backend/.env", "# .env.local - do not commit", "## settings for the summarizer job"), k=openai()), "openai-api-key"


@pos
def p_env_anthropic():
    return T("""Why does my script say "authentication_error"? here's my .env:

ANTHROPIC_API_KEY=<<k>>
CLAUDE_MODEL=claude-sonnet-4-5
TIMEOUT_SECONDS=60

and I load it with python-dotenv before creating the client.""", k=anthropic()), "anthropic-api-key"


@pos
def p_compose_pg():
    pw = password()
    return T("""version: "3.9"
services:
  db:
    image: postgres:16
    restart: unless-stopped
    environment:
      POSTGRES_USER: <<u>>
      POSTGRES_PASSWORD: "<<pw>>"
      POSTGRES_DB: <<db>>
    ports:
      - "5432:5432"
    volumes:
      - pgdata:/var/lib/postgresql/data
  api:
    build: .
    depends_on: [db]
volumes:
  pgdata: {}
""", u=pick(*USERS), pw=pw, db=pick(*DBS)), "generic-password"


@pos
def p_k8s_secret_stringdata():
    return T("""apiVersion: v1
kind: Secret
metadata:
  name: <<svc>>-db
  namespace: <<ns>>
type: Opaque
stringData:
  DB_USER: <<u>>
  DB_PASSWORD: <<pw>>
""", svc=pick(*SERVICES), ns=pick("prod", "staging", "default", "payments"), u=pick(*USERS), pw=password()), "generic-password"


@pos
def p_k8s_secret_data_b64():
    pw = password()
    return T("""kubectl get secret <<svc>>-creds -o yaml
apiVersion: v1
data:
  password: <<b>>
  username: <<ub>>
kind: Secret
metadata:
  creationTimestamp: "2026-10-14T09:12:44Z"
  name: <<svc>>-creds
  namespace: default
type: Opaque

can someone explain why the pod still can't log in to mysql?""",
             svc=pick(*SERVICES), b=base64.b64encode(pw.encode()).decode(),
             ub=base64.b64encode(pick(*USERS).encode()).decode()), "generic-password"


@pos
def p_spring_props():
    return T("""server.port=8081
spring.application.name=<<svc>>
spring.datasource.url=jdbc:postgresql://<<h>>:5432/<<db>>
spring.datasource.username=<<u>>
spring.datasource.password=<<pw>>
spring.jpa.hibernate.ddl-auto=validate
spring.jpa.show-sql=false
management.endpoints.web.exposure.include=health,info
""", svc=pick(*SERVICES), h=pick(*HOSTS), db=pick(*DBS), u=pick(*USERS), pw=password()), "generic-password"


@pos
def p_curl_anthropic():
    return T("""curl https://api.anthropic.com/v1/messages \\
  -H "x-api-key: <<k>>" \\
  -H "anthropic-version: 2023-06-01" \\
  -H "content-type: application/json" \\
  -d '{"model": "claude-sonnet-4-5", "max_tokens": 256, "messages": [{"role": "user", "content": "ping"}]}'
returns 529 overloaded every few calls, is retrying the right approach?""", k=anthropic()), "anthropic-api-key"


@pos
def p_curl_mailgun():
    return T("""curl -s --user 'api:<<k>>' \\
    https://api.mailgun.net/v3/mg.<<d>>/messages \\
    -F from='Ops <ops@mg.<<d>>>' \\
    -F to=oncall@<<d>> \\
    -F subject='nightly export failed' \\
    -F text='see logs'""", k=mailgun(), d=pick("shopline.io", "fernhill.dev", "acme-corp.test")), "mailgun-api-key"


@pos
def p_boto3():
    return T("""import boto3

s3 = boto3.client(
    "s3",
    region_name="<<reg>>",
    aws_access_key_id="<<a>>",
    aws_secret_access_key="<<s>>",
)

def upload_report(path, key):
    s3.upload_file(path, "<<bucket>>", key)
""", reg=pick("eu-central-1", "us-east-1", "ap-southeast-2"), a=aws_akid(), s=aws_secret(),
             bucket=pick("acme-reports", "data-exports-prod", "ml-artifacts")), "aws-access-key"


@pos
def p_aws_credentials_file():
    return T("""$ cat ~/.aws/credentials
[default]
aws_access_key_id = <<a>>
aws_secret_access_key = <<s>>

[<<p>>]
region = eu-west-1
role_arn = arn:aws:iam::<<acct>>:role/<<p>>-deployer
source_profile = default
""", a=aws_akid(), s=aws_secret(), p=pick("ci", "deploy", "sandbox"), acct=r(DIG, 12)), "aws-access-key"


@pos
def p_octokit():
    return T("""import { Octokit } from "@octokit/rest";

const octokit = new Octokit({ auth: "<<k>>" });

export async function openIssue(title: string, body: string) {
  return octokit.issues.create({ owner: "<<o>>", repo: "<<repo>>", title, body });
}
""", k=pick(ghp(), gh_fine()), o=pick("acme", "fernhill-labs", "northwind"), repo=pick("infra", "web", "mobile-app")), "github-pat"


@pos
def p_git_remote_glpat():
    return T("""$ git remote -v
origin	https://oauth2:<<k>>@gitlab.com/<<g>>/<<p>>.git (fetch)
origin	https://oauth2:<<k>>@gitlab.com/<<g>>/<<p>>.git (push)
$ git push
remote: HTTP Basic: Access denied
fatal: Authentication failed""", k=glpat(), g=pick("platform-team", "acme", "data-eng"), p=pick("terraform-modules", "api", "etl")), "gitlab-pat"


@pos
def p_trace_token():
    return T("""Traceback (most recent call last):
  File "/app/sync/github_sync.py", line 88, in fetch_prs
    resp.raise_for_status()
  File "/usr/local/lib/python3.11/site-packages/requests/models.py", line 1021, in raise_for_status
    raise HTTPError(http_error_msg, response=self)
requests.exceptions.HTTPError: 403 Client Error: Forbidden for url: https://api.github.com/repos/<<o>>/<<p>>/pulls
DEBUG request headers: {'User-Agent': 'python-requests/2.31.0', 'Accept': 'application/vnd.github+json', 'Authorization': 'token <<k>>'}""",
             o=pick("acme", "northwind"), p=pick("api", "web"), k=pick(ghs(), ghp())), "github-token"


@pos
def p_log_stripe():
    return T("""2026-11-30T14:02:11.391Z INFO  [<<svc>>] creating PaymentIntent amount=4999 currency=eur
2026-11-30T14:02:11.392Z DEBUG [<<svc>>] stripe client init api_key=<<k>> api_version=2024-06-20
2026-11-30T14:02:11.804Z ERROR [<<svc>>] StripeError: Your card was declined. code=card_declined""", svc=pick(*SERVICES), k=stripe_live()), "stripe-secret-key"


@pos
def p_go_slack():
    return T("""package main

import (
	"log"

	"github.com/slack-go/slack"
)

func main() {
	api := slack.New("<<k>>")
	_, _, err := api.PostMessage("<<ch>>", slack.MsgOptionText("deploy finished", false))
	if err != nil {
		log.Fatal(err)
	}
}
""", k=xoxb(), ch=pick("C04QF2K8Z1A", "#deploys", "C07ABCD12EF")), "slack-bot-token"


@pos
def p_java_sendgrid():
    return T("""public class MailConfig {
    private static final String SENDGRID_API_KEY = "<<k>>";

    @Bean
    public SendGrid sendGrid() {
        return new SendGrid(SENDGRID_API_KEY);
    }
}
// getting 401 from v3/mail/send, key was created yesterday with full access""", k=sendgrid()), "sendgrid-api-key"


@pos
def p_rust_hf():
    return T("""use reqwest::header::{HeaderMap, AUTHORIZATION};

async fn embed(text: &str) -> anyhow::Result<Vec<f32>> {
    let mut h = HeaderMap::new();
    h.insert(AUTHORIZATION, "Bearer <<k>>".parse()?);
    let client = reqwest::Client::builder().default_headers(h).build()?;
    let v: Vec<f32> = client
        .post("https://api-inference.huggingface.co/models/sentence-transformers/all-MiniLM-L6-v2")
        .json(&serde_json::json!({ "inputs": text }))
        .send().await?.json().await?;
    Ok(v)
}""", k=hf()), "huggingface-token"


@pos
def p_npmrc():
    return T("""# ~/.npmrc
registry=https://registry.npmjs.org/
//registry.npmjs.org/:_authToken=<<k>>
@<<scope>>:registry=https://npm.pkg.github.com
save-exact=true""", k=npm(), scope=pick("acme", "fernhill", "northwind")), "npm-token"


@pos
def p_pypirc():
    return T("""[distutils]
index-servers =
    pypi

[pypi]
username = __token__
password = <<k>>
""", k=pypi()), "pypi-token"


@pos
def p_tf_do():
    return T("""terraform {
  required_providers {
    digitalocean = {
      source  = "digitalocean/digitalocean"
      version = "~> 2.34"
    }
  }
}

provider "digitalocean" {
  token = "<<k>>"
}

resource "digitalocean_droplet" "web" {
  image  = "ubuntu-24-04-x64"
  name   = "web-1"
  region = "<<reg>>"
  size   = "s-1vcpu-1gb"
}""", k=dop(), reg=pick("fra1", "ams3", "nyc3")), "digitalocean-token"


@pos
def p_databrickscfg():
    return T("""[DEFAULT]
host  = https://adb-<<n>>.<<m>>.azuredatabricks.net
token = <<k>>

[staging]
host  = https://adb-<<n2>>.<<m>>.azuredatabricks.net
token = <<k2>>
""", n=r(DIG, 16), n2=r(DIG, 16), m=str(R.randint(1, 19)), k=dapi(), k2=dapi() + pick("", "-2", "-3")), "databricks-token"


@pos
def p_shopify():
    return T("""const res = await fetch(`https://<<shop>>.myshopify.com/admin/api/2024-10/products.json?limit=50`, {
  headers: {
    "X-Shopify-Access-Token": "<<k>>",
    "Content-Type": "application/json",
  },
});
const { products } = await res.json();""", shop=pick("fernhill-goods", "acme-store-eu", "little-otter-shop"), k=shpat()), "shopify-token"


@pos
def p_datadog():
    return T("""docker run -d --name dd-agent \\
  -e DD_API_KEY=<<k>> \\
  -e DD_SITE="datadoghq.eu" \\
  -e DD_APM_ENABLED=true \\
  -v /var/run/docker.sock:/var/run/docker.sock:ro \\
  -v /proc/:/host/proc/:ro \\
  gcr.io/datadoghq/agent:7""", k=dd_api()), "datadog-api-key"


@pos
def p_datadog_app():
    return T("""from datadog_api_client import ApiClient, Configuration

configuration = Configuration()
configuration.api_key["apiKeyAuth"] = "<<k>>"
configuration.api_key["appKeyAuth"] = "<<a>>"
configuration.server_variables["site"] = "datadoghq.com"
""", k=dd_api(), a=dd_app()), "datadog-api-key"


@pos
def p_azure_appsettings():
    acct = pick("acmeprodstore", "fernhilllogs", "nwtraderseu01")
    return T("""{
  "Logging": { "LogLevel": { "Default": "Information" } },
  "AllowedHosts": "*",
  "ConnectionStrings": {
    "Blob": "DefaultEndpointsProtocol=https;AccountName=<<a>>;AccountKey=<<k>>;EndpointSuffix=core.windows.net"
  }
}""", a=acct, k=azkey()), "azure-storage-key"


@pos
def p_twilio():
    return T("""from twilio.rest import Client

account_sid = "<<sid>>"
auth_token = "<<tok>>"
client = Client(account_sid, auth_token)

message = client.messages.create(
    body="Your verification code is {code}",
    from_="+15005550006",
    to=user.phone,
)""", sid=tw_sid(), tok=tw_tok()), "twilio-auth-token"


@pos
def p_gemini():
    return T("""# server/llm.py  (runs on our backend, not in the browser)
import google.generativeai as genai

genai.configure(api_key="<<k>>")
model = genai.GenerativeModel("gemini-1.5-flash")

def summarize(text: str) -> str:
    return model.generate_content(f"Summarize:\\n{text}").text
""", k=gkey()), "google-api-key"


@pos
def p_maps_geocode():
    return T("""Our nightly geocoding cron (runs on the ETL box) suddenly returns OVER_QUERY_LIMIT. The call is:

GET https://maps.googleapis.com/maps/api/geocode/json?address=<<addr>>&key=<<k>>

Is there a per-second quota I'm hitting?""", addr=pick("1600+Amphitheatre+Pkwy", "Unter+den+Linden+1,+Berlin", "Calle+Mayor+5,+Madrid"), k=gkey()), "google-api-key"


@pos
def p_slack_hook_sh():
    return T("""#!/usr/bin/env bash
set -euo pipefail
VERSION=$(git describe --tags)
./scripts/build.sh && ./scripts/deploy.sh "$VERSION"
curl -X POST -H 'Content-type: application/json' \\
  --data "{\\"text\\":\\"<<svc>> $VERSION deployed\\"}" \\
  <<hook>>
""", svc=pick(*SERVICES), hook=slack_hook()), "slack-webhook"


@pos
def p_discord_hook():
    return T("""import requests

WEBHOOK = "<<hook>>"

def alert(msg: str) -> None:
    requests.post(WEBHOOK, json={"content": msg, "username": "<<bot>>"}, timeout=5)
""", hook=discord_hook(), bot=pick("build-bot", "uptime", "scraper")), "discord-webhook"


@pos
def p_jwt_header():
    t = jwt({"sub": ruuid(), "email_verified": True, "role": pick("admin", "user", "service"),
             "iss": "https://auth." + pick("acme.io", "fernhill.dev") + "/"})
    return T("""GET /api/v2/orders?status=open HTTP/1.1
Host: api.<<d>>
Authorization: Bearer <<t>>
Accept: application/json
User-Agent: okhttp/4.12.0

-> 401 {"error":"token_expired"} even though exp is in the future?""", d=pick("acme.io", "fernhill.dev"), t=t), "jwt"


@pos
def p_jwt_console():
    t = jwt({"user_id": R.randint(1000, 99999), "scope": "read write", "tenant": pick("eu-1", "us-2")})
    return T("""> localStorage.getItem("access_token")
'<<t>>'
> JSON.parse(atob(localStorage.getItem("access_token").split(".")[1]))
{user_id: ..., scope: 'read write', ...}
why does my refresh logic never fire?""", t=t), "jwt"


@pos
def p_pem_rsa_prose():
    return T("""this is the deploy key the CI box uses, ssh keeps saying "invalid format" — is something wrong with the line endings?

<<k>>

I copied it from the password manager into ~/.ssh/id_rsa and ran chmod 600.""", k=pem_priv("rsa")), "private-key"


@pos
def p_pem_openssh():
    return T("""$ cat ~/.ssh/id_ed25519_deploy
<<k>>
$ ssh -i ~/.ssh/id_ed25519_deploy git@github.com
Load key "/home/ci/.ssh/id_ed25519_deploy": error in libcrypto""", k=pem_priv("openssh")), "private-key"


@pos
def p_pem_ec_k8s():
    k = pem_priv("ec")
    ind = "\n".join("    " + l for l in k.split("\n"))
    return T("""apiVersion: v1
kind: Secret
metadata:
  name: <<svc>>-tls
type: kubernetes.io/tls
stringData:
  tls.crt: |
    -----BEGIN CERTIFICATE-----
    MIIB<<cert>>
    -----END CERTIFICATE-----
  tls.key: |
<<ind>>
""", svc=pick(*SERVICES), cert=r(B64, 40), ind=ind), "private-key"


@pos
def p_gcp_sa():
    k = pem_priv("pkcs8").replace("\n", "\\n") + "\\n"
    proj = pick("acme-prod-4412", "fernhill-data", "nw-analytics-281")
    return json.dumps({
        "type": "service_account",
        "project_id": proj,
        "private_key_id": r(HEX, 40),
        "private_key": "@@K@@",
        "client_email": pick("etl-runner", "bq-loader", "ci-deployer") + "@" + proj + ".iam.gserviceaccount.com",
        "client_id": r(DIG, 21),
        "auth_uri": "https://accounts.google.com/o/oauth2/auth",
        "token_uri": "https://oauth2.googleapis.com/token",
    }, indent=2).replace("@@K@@", k), "gcp-service-account"


@pos
def p_mongoose():
    return T("""const mongoose = require("mongoose");

mongoose
  .connect("mongodb+srv://<<u>>:<<pw>>@cluster0.<<c>>.mongodb.net/<<db>>?retryWrites=true&w=majority")
  .then(() => console.log("mongo connected"))
  .catch((err) => console.error(err));""", u=pick(*USERS), pw=password(True), c=r(LO + DIG, 5), db=pick(*DBS)), "connection-string"


@pos
def p_celery_redis():
    return T("""# celeryconfig.py
broker_url = "redis://:<<pw>>@<<h>>:6379/0"
result_backend = "redis://:<<pw>>@<<h>>:6379/1"
task_serializer = "json"
timezone = "Europe/Berlin"
""", pw=password(True), h=pick("redis-master.prod.svc", "10.0.7.21", "cache.internal")), "connection-string"


@pos
def p_jdbc_mysql():
    return T("""Connection conn = DriverManager.getConnection(
    "jdbc:mysql://<<h>>:3306/<<db>>?user=<<u>>&password=<<pw>>&useSSL=true");
// throws Communications link failure after ~8h idle""", h=pick(*HOSTS), db=pick(*DBS), u=pick(*USERS), pw=password(True)), "connection-string"


@pos
def p_mssql():
    return T("""  "ConnectionStrings": {
    "Default": "Server=tcp:<<s>>.database.windows.net,1433;Initial Catalog=<<db>>;User ID=<<u>>;Password=<<pw>>;Encrypt=True;Connection Timeout=30;"
  }""", s=pick("acme-sql-prod", "fernhill-eu"), db=pick(*DBS), u=pick(*USERS), pw=password()), "connection-string"


@pos
def p_amqp():
    return T("""import pika
params = pika.URLParameters("amqp://<<u>>:<<pw>>@rabbitmq.<<d>>:5672/%2F")
conn = pika.BlockingConnection(params)
ch = conn.channel()
ch.queue_declare(queue="<<q>>", durable=True)""", u=pick(*USERS), pw=password(True), d=pick("internal", "prod.local"), q=pick("emails", "thumbnails", "webhooks")), "connection-string"


@pos
def p_prose_key():
    k, rule = pick((openai(), "openai-api-key"), (anthropic(), "anthropic-api-key"), (ghp(), "github-pat"), (stripe_live(), "stripe-secret-key"))
    return T("""hey, quick one — the <<what>> key for the staging environment is <<k>> and the requests from the worker are still failing with 401. I double checked the env var is loaded (printed it at startup). Could it be that the key is scoped to a different project/org? The same code works on my laptop.""",
             what=pick("current", "new", "rotated"), k=k), rule


@pos
def p_gha_hardcoded():
    return T("""name: release
on:
  push:
    tags: ["v*"]
jobs:
  publish:
    runs-on: ubuntu-latest
    env:
      GH_TOKEN: <<k>>
    steps:
      - uses: actions/checkout@v4
      - run: gh release create "$GITHUB_REF_NAME" --generate-notes
""", k=ghp()), "github-pat"


@pos
def p_dockerfile_env():
    k, rule, var = pick((openai(), "openai-api-key", "OPENAI_API_KEY"), (sendgrid(), "sendgrid-api-key", "SENDGRID_API_KEY"), (hf(), "huggingface-token", "HF_TOKEN"))
    return T("""FROM python:3.12-slim
WORKDIR /app
COPY requirements.txt .
RUN pip install --no-cache-dir -r requirements.txt
COPY . .
ENV <<v>>=<<k>>
ENV PYTHONUNBUFFERED=1
CMD ["gunicorn", "-b", "0.0.0.0:8000", "app:app"]""", v=var, k=k), rule


@pos
def p_django_secret():
    return T("""# settings/production.py
from .base import *

DEBUG = False
SECRET_KEY = "<<k>>"
ALLOWED_HOSTS = ["<<d>>", "www.<<d>>"]
CSRF_TRUSTED_ORIGINS = ["https://<<d>>"]
""", k=r(LO + DIG + "!@#$%^&*(-_=+)", 50), d=pick("fernhill.dev", "acme-shop.eu")), "django-secret-key"


@pos
def p_flask_secret():
    return T("""app = Flask(__name__)
app.config["SECRET_KEY"] = "<<k>>"
app.config["SESSION_COOKIE_SECURE"] = True
app.config["SQLALCHEMY_DATABASE_URI"] = os.environ["DATABASE_URL"]""", k=pick(r(HEX, 64), b64url(rb(32)))), "generic-secret"


@pos
def p_vault():
    return T("""$ export VAULT_ADDR=https://vault.<<d>>:8200
$ export VAULT_TOKEN=<<k>>
$ vault kv get secret/<<svc>>/db
Error reading secret/data/<<svc>>/db: Error making API request.
Code: 403. Errors:
* permission denied""", d=pick("internal", "acme.io"), k=vault(), svc=pick(*SERVICES)), "vault-token"


@pos
def p_terraformrc():
    return T("""# ~/.terraformrc
credentials "app.terraform.io" {
  token = "<<k>>"
}
plugin_cache_dir = "$HOME/.terraform.d/plugin-cache"
""", k=tfc()), "terraform-cloud-token"


@pos
def p_ruby_stripe_rk():
    return T("""require "stripe"
Stripe.api_key = "<<k>>"

subs = Stripe::Subscription.list(status: "past_due", limit: 100)
subs.auto_paging_each { |s| puts "#{s.id} #{s.customer}" }""", k=stripe_rk()), "stripe-secret-key"


@pos
def p_linear():
    return T("""import { LinearClient } from "@linear/sdk";

const linear = new LinearClient({ apiKey: "<<k>>" });
const me = await linear.viewer;
const issues = await me.assignedIssues({ first: 20 });""", k=linear()), "linear-api-key"


@pos
def p_postman():
    return T("""- name: Run API contract tests
  run: |
    npm i -g newman
    newman run "https://api.getpostman.com/collections/<<cid>>?apikey=<<k>>" \\
      --environment env/staging.json --reporters cli,junit""", cid=r(DIG, 8) + "-" + ruuid(), k=postman()), "postman-api-key"


@pos
def p_grafana():
    return T("""curl -s -H "Authorization: Bearer <<k>>" \\
  "https://grafana.<<d>>/api/dashboards/uid/<<uid>>" | jq '.dashboard.panels | length'""", k=grafana(), d=pick("internal", "acme.io"), uid=r(ALNUM, 9)), "grafana-token"


@pos
def p_newrelic():
    return T("""provider "newrelic" {
  account_id = <<a>>
  api_key    = "<<k>>"
  region     = "EU"
}""", a=r(DIG, 7), k=newrelic()), "newrelic-api-key"


@pos
def p_mailchimp():
    k = mailchimp()
    return T("""import mailchimp_marketing as MailchimpMarketing

client = MailchimpMarketing.Client()
client.set_config({"api_key": "<<k>>", "server": "<<srv>>"})
print(client.ping.get())""", k=k, srv=k.split("-")[1]), "mailchimp-api-key"


@pos
def p_cloudflare():
    return T("""# wrangler deploy fails in CI with "Authentication error [code: 10000]"
export CLOUDFLARE_ACCOUNT_ID=<<acct>>
export CLOUDFLARE_API_TOKEN=<<k>>
npx wrangler deploy --env production""", acct=r(HEX, 32), k=cf_token()), "cloudflare-api-token"


@pos
def p_ansible():
    return T("""[web]
web-01 ansible_host=10.20.1.11
web-02 ansible_host=10.20.1.12

[web:vars]
ansible_user=deploy
ansible_ssh_pass=<<pw>>
ansible_become_pass=<<pw2>>
""", pw=password(), pw2=password()), "generic-password"


@pos
def p_ftp():
    return T("""lftp -e "mirror -R ./dist /public_html; quit" ftp://<<u>>:<<pw>>@ftp.<<d>>""", u=pick("webmaster", "deploy", "site"), pw=password(True), d=pick("fernhill-bakery.de", "example-hosting.net")), "connection-string"


@pos
def p_basic_url():
    return T("""pip install --index-url https://<<u>>:<<pw>>@nexus.<<d>>/repository/pypi-internal/simple <<pkg>>==2.4.1""",
             u=pick("ci-reader", "build"), pw=password(True), d=pick("acme.io", "corp.internal"), pkg=pick("acme-utils", "fh-models")), "basic-auth-url"


@pos
def p_basic_header():
    u = pick("svc-reporting", "jenkins", "admin")
    pw = password()
    return T("""curl -v https://jira.<<d>>/rest/api/2/search?jql=project=OPS \\
  -H "Authorization: Basic <<b>>"
< HTTP/1.1 401 Unauthorized""", d=pick("acme.io", "corp.internal"), b=base64.b64encode(f"{u}:{pw}".encode()).decode()), "basic-auth"


@pos
def p_git_credentials():
    return T("""$ cat ~/.git-credentials
https://<<u>>:<<k>>@github.com
$ git config --global credential.helper
store""", u=pick("jdoe-acme", "ci-bot", "mk-dev"), k=pick(ghp(), gh_fine())), "github-pat"


@pos
def p_docker_config():
    u = pick("acmeci", "fernhillbot")
    tok = "dckr_pat_" + r(URL, 27)
    return T("""{
  "auths": {
    "https://index.docker.io/v1/": {
      "auth": "<<a>>"
    }
  },
  "credsStore": ""
}""", a=base64.b64encode(f"{u}:{tok}".encode()).decode()), "docker-registry-auth"


@pos
def p_pgpass():
    return T("""# ~/.pgpass  (chmod 0600)
<<h>>:5432:<<db>>:<<u>>:<<pw>>
localhost:5432:*:postgres:<<pw2>>""", h=pick(*HOSTS), db=pick(*DBS), u=pick(*USERS), pw=password(), pw2=password()), "generic-password"


@pos
def p_js_config_pw():
    return T("""module.exports = {
  development: {
    client: "mysql2",
    connection: {
      host: "<<h>>",
      user: "<<u>>",
      password: "<<pw>>",
      database: "<<db>>",
    },
    pool: { min: 2, max: 10 },
  },
};""", h=pick(*HOSTS), u=pick(*USERS), pw=password(), db=pick(*DBS)), "generic-password"


@pos
def p_go_dsn():
    return T("""db, err := sql.Open("mysql", "<<u>>:<<pw>>@tcp(<<h>>:3306)/<<db>>?parseTime=true")
if err != nil {
	return nil, fmt.Errorf("open db: %w", err)
}
db.SetMaxOpenConns(25)""", u=pick(*USERS), pw=password(True), h=pick(*HOSTS), db=pick(*DBS)), "connection-string"


@pos
def p_ts_anthropic():
    return T("""import Anthropic from "@anthropic-ai/sdk";

const client = new Anthropic({
  apiKey: "<<k>>",
  maxRetries: 3,
});

const msg = await client.messages.create({
  model: "claude-sonnet-4-5",
  max_tokens: 1024,
  messages: [{ role: "user", content: prompt }],
});""", k=anthropic()), "anthropic-api-key"


@pos
def p_openai_log():
    return T("""[2026-11-28 09:41:07,118] INFO llm.client: init OpenAI client base_url=https://api.openai.com/v1 key=<<k>>
[2026-11-28 09:41:08,502] WARNING llm.client: retrying after RateLimitError (attempt 1/5)
[2026-11-28 09:41:12,930] ERROR llm.client: giving up after 5 attempts""", k=openai()), "openai-api-key"


@pos
def p_german():
    k, rule = pick((aws_akid() + "\naws_secret_access_key = " + aws_secret(), "aws-access-key"), (glpat(), "gitlab-pat"), (dop(), "digitalocean-token"))
    return T("""Hallo zusammen, ich bekomme beim Deployment immer einen 401-Fehler. Die Zugangsdaten stehen direkt im Skript, vielleicht sieht jemand den Fehler:

token = <<k>>

Lokal funktioniert alles, nur in der Pipeline nicht. Muss ich das Token irgendwo freischalten?""", k=k), rule


@pos
def p_spanish():
    k, rule = pick((xoxb(), "slack-bot-token"), (stripe_live(), "stripe-secret-key"), (npm(), "npm-token"))
    return T("""Buenas, estoy configurando la integración y no consigo que funcione. Uso esta clave: <<k>> — la generé ayer desde el panel de administración. ¿Alguien sabe si hay que esperar a que se active o si falta algún permiso?""", k=k), rule


@pos
def p_japanese():
    k, rule = pick((hf(), "huggingface-token"), (anthropic(), "anthropic-api-key"), (ghp(), "github-pat"))
    return T("""お疲れ様です。以下のトークンでAPIを呼び出していますが、403エラーが返ってきます。

TOKEN="<<k>>"

権限の設定が足りないのでしょうか？ローカルでは問題なく動いています。""", k=k), rule


@pos
def p_long_flask():
    k, rule, line = pick(
        (None, "sendgrid-api-key", 'SENDGRID_KEY = "{k}"'),
        (None, "stripe-secret-key", 'stripe.api_key = "{k}"'),
        (None, "openai-api-key", 'llm = OpenAI(api_key="{k}")'))
    key = {"sendgrid-api-key": sendgrid, "stripe-secret-key": stripe_live, "openai-api-key": openai}[rule]()
    line = line.format(k=key)
    return T('''import logging
import os
from datetime import datetime, timezone

from flask import Flask, abort, jsonify, request
from sqlalchemy import create_engine, text

log = logging.getLogger(__name__)
app = Flask(__name__)
engine = create_engine(os.environ["DATABASE_URL"], pool_pre_ping=True)

<<line>>


def _now():
    return datetime.now(timezone.utc).isoformat()


@app.get("/healthz")
def healthz():
    return jsonify(status="ok", ts=_now())


@app.post("/api/orders/<int:order_id>/refund")
def refund(order_id: int):
    payload = request.get_json(force=True)
    reason = payload.get("reason", "requested_by_customer")
    with engine.begin() as conn:
        row = conn.execute(text("SELECT id, total_cents, status FROM orders WHERE id = :id"), {"id": order_id}).first()
        if row is None:
            abort(404)
        if row.status != "paid":
            return jsonify(error="order not refundable", status=row.status), 409
        conn.execute(text("UPDATE orders SET status = 'refund_pending' WHERE id = :id"), {"id": order_id})
    log.info("refund requested order=%s reason=%s", order_id, reason)
    return jsonify(ok=True, order_id=order_id, reason=reason)


if __name__ == "__main__":
    app.run(host="0.0.0.0", port=int(os.environ.get("PORT", "8000")))
''', line=line), rule


@pos
def p_long_go():
    key = pick(("dd", dd_api()), ("tw", tw_tok()), ("xoxb", xoxb()))
    if key[0] == "dd":
        decl, rule = f'const ddAPIKey = "{key[1]}"', "datadog-api-key"
    elif key[0] == "tw":
        decl, rule = f'const twilioSID = "{tw_sid()}"\nconst twilioAuthToken = "{key[1]}"', "twilio-auth-token"
    else:
        decl, rule = f'const slackToken = "{key[1]}"', "slack-bot-token"
    return T('''package main

import (
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"net/http"
	"os"
	"os/signal"
	"syscall"
	"time"
)

<<decl>>

type Event struct {
	ID        string    `json:"id"`
	Kind      string    `json:"kind"`
	CreatedAt time.Time `json:"created_at"`
}

func handleEvent(w http.ResponseWriter, r *http.Request) {
	var ev Event
	if err := json.NewDecoder(r.Body).Decode(&ev); err != nil {
		http.Error(w, "bad json", http.StatusBadRequest)
		return
	}
	slog.Info("event received", "id", ev.ID, "kind", ev.Kind)
	w.WriteHeader(http.StatusAccepted)
}

func main() {
	mux := http.NewServeMux()
	mux.HandleFunc("POST /events", handleEvent)
	srv := &http.Server{Addr: ":8080", Handler: mux, ReadHeaderTimeout: 5 * time.Second}

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	go func() {
		if err := srv.ListenAndServe(); err != nil && !errors.Is(err, http.ErrServerClosed) {
			slog.Error("server", "err", err)
		}
	}()
	<-ctx.Done()
	shutdownCtx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	_ = srv.Shutdown(shutdownCtx)
}
''', decl=decl), rule


@pos
def p_long_java():
    pw = password()
    return T('''package com.<<org>>.orders.config;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Profile;

import javax.sql.DataSource;
import java.time.Duration;

@Configuration
@Profile("prod")
public class DataSourceConfig {

    private static final String JDBC_URL = "jdbc:postgresql://<<h>>:5432/<<db>>";
    private static final String DB_USER = "<<u>>";
    private static final String DB_PASS = "<<pw>>";

    @Bean(destroyMethod = "close")
    public DataSource dataSource() {
        HikariConfig cfg = new HikariConfig();
        cfg.setJdbcUrl(JDBC_URL);
        cfg.setUsername(DB_USER);
        cfg.setPassword(DB_PASS);
        cfg.setMaximumPoolSize(20);
        cfg.setMinimumIdle(4);
        cfg.setConnectionTimeout(Duration.ofSeconds(5).toMillis());
        cfg.setIdleTimeout(Duration.ofMinutes(10).toMillis());
        cfg.setPoolName("orders-pool");
        cfg.addDataSourceProperty("reWriteBatchedInserts", "true");
        return new HikariDataSource(cfg);
    }
}
''', org=pick("acme", "fernhill", "northwind"), h=pick(*HOSTS), db=pick(*DBS), u=pick(*USERS), pw=pw), "generic-password"


@pos
def p_long_k8s():
    key, rule, var = pick((openai(), "openai-api-key", "OPENAI_API_KEY"), (sendgrid(), "sendgrid-api-key", "SENDGRID_API_KEY"), (dd_api(), "datadog-api-key", "DD_API_KEY"))
    svc = pick(*SERVICES)
    return T('''apiVersion: apps/v1
kind: Deployment
metadata:
  name: <<svc>>
  labels:
    app: <<svc>>
    team: <<team>>
spec:
  replicas: 3
  selector:
    matchLabels:
      app: <<svc>>
  template:
    metadata:
      labels:
        app: <<svc>>
    spec:
      containers:
        - name: <<svc>>
          image: ghcr.io/acme/<<svc>>:1.14.2
          ports:
            - containerPort: 8080
          env:
            - name: LOG_LEVEL
              value: info
            - name: <<var>>
              value: "<<k>>"
            - name: DB_PASSWORD
              valueFrom:
                secretKeyRef:
                  name: <<svc>>-db
                  key: password
          resources:
            requests: { cpu: 100m, memory: 256Mi }
            limits: { cpu: 500m, memory: 512Mi }
          readinessProbe:
            httpGet: { path: /healthz, port: 8080 }
            periodSeconds: 10
''', svc=svc, team=pick(*TEAMS), var=var, k=key), rule


@pos
def p_long_ts():
    key, rule, line = pick(
        ("gh", "github-pat", 'const GITHUB_TOKEN = "{k}";'),
        ("sh", "shopify-token", 'const SHOPIFY_TOKEN = "{k}";'),
        ("ln", "linear-api-key", 'const LINEAR_KEY = "{k}";'))
    k = {"gh": ghp, "sh": shpat, "ln": linear}[key]()
    return T('''import express, { Request, Response, NextFunction } from "express";
import helmet from "helmet";
import rateLimit from "express-rate-limit";
import { z } from "zod";

<<line>>

const app = express();
app.use(helmet());
app.use(express.json({ limit: "1mb" }));
app.use(rateLimit({ windowMs: 60_000, max: 120 }));

const WebhookBody = z.object({
  action: z.string(),
  id: z.number().int(),
  title: z.string().max(300),
});

app.post("/hooks/sync", async (req: Request, res: Response, next: NextFunction) => {
  try {
    const body = WebhookBody.parse(req.body);
    console.log(`sync ${body.action} #${body.id}`);
    res.status(202).json({ queued: true });
  } catch (err) {
    next(err);
  }
});

app.use((err: unknown, _req: Request, res: Response, _next: NextFunction) => {
  console.error(err);
  res.status(400).json({ error: "invalid request" });
});

app.listen(Number(process.env.PORT ?? 3000), () => console.log("listening"));
''', line=line.format(k=k)), rule


@pos
def p_long_tf():
    a, s = aws_akid(), aws_secret()
    return T('''terraform {
  required_version = ">= 1.6"
  backend "s3" {
    bucket = "acme-tf-state"
    key    = "<<env>>/network.tfstate"
    region = "eu-central-1"
  }
}

provider "aws" {
  region     = "eu-central-1"
  access_key = "<<a>>"
  secret_key = "<<s>>"
}

module "vpc" {
  source  = "terraform-aws-modules/vpc/aws"
  version = "5.8.1"

  name = "<<env>>-vpc"
  cidr = "10.40.0.0/16"

  azs             = ["eu-central-1a", "eu-central-1b", "eu-central-1c"]
  private_subnets = ["10.40.1.0/24", "10.40.2.0/24", "10.40.3.0/24"]
  public_subnets  = ["10.40.101.0/24", "10.40.102.0/24", "10.40.103.0/24"]

  enable_nat_gateway = true
  single_nat_gateway = true

  tags = {
    Environment = "<<env>>"
    ManagedBy   = "terraform"
  }
}
''', env=pick("staging", "prod", "dev"), a=a, s=s), "aws-access-key"


@pos
def p_long_gha():
    k, rule, var = pick((npm(), "npm-token", "NODE_AUTH_TOKEN"), (pypi(), "pypi-token", "TWINE_PASSWORD"), (dapi(), "databricks-token", "DATABRICKS_TOKEN"))
    return T('''name: ci
on:
  push:
    branches: [main]
  pull_request:

concurrency:
  group: ${{ github.workflow }}-${{ github.ref }}
  cancel-in-progress: true

jobs:
  test:
    runs-on: ubuntu-latest
    strategy:
      matrix:
        version: ["3.11", "3.12"]
    steps:
      - uses: actions/checkout@v4
      - uses: actions/setup-python@v5
        with:
          python-version: ${{ matrix.version }}
          cache: pip
      - run: pip install -r requirements-dev.txt
      - run: pytest -q --maxfail=1

  publish:
    needs: test
    if: github.ref == 'refs/heads/main'
    runs-on: ubuntu-latest
    env:
      <<var>>: <<k>>
    steps:
      - uses: actions/checkout@v4
      - run: make release
''', var=var, k=k), rule


@pos
def p_xoxp_script():
    return T("""#!/bin/sh
# export channel history for the retro
SLACK_USER_TOKEN="<<k>>"
curl -s -G https://slack.com/api/conversations.history \\
  -H "Authorization: Bearer $SLACK_USER_TOKEN" \\
  --data-urlencode "channel=<<ch>>" --data-urlencode "limit=200" > history.json""", k=xoxp(), ch="C0" + r(UP + DIG, 9)), "slack-user-token"


@pos
def p_gh_hosts():
    return T("""# ~/.config/gh/hosts.yml
github.com:
    user: <<u>>
    oauth_token: <<k>>
    git_protocol: https""", u=pick("mkowalski", "jdoe-dev", "lena-ops"), k=gho()), "github-oauth-token"


@pos
def p_sql_create_user():
    return T("""-- migrations/0007_reporting_role.sql
CREATE ROLE <<u>> WITH LOGIN PASSWORD '<<pw>>';
GRANT CONNECT ON DATABASE <<db>> TO <<u>>;
GRANT USAGE ON SCHEMA public TO <<u>>;
GRANT SELECT ON ALL TABLES IN SCHEMA public TO <<u>>;""", u=pick("reporting_ro", "metabase", "bi_reader"), pw=password(), db=pick(*DBS)), "generic-password"


@pos
def p_airflow_conn():
    return T("""export AIRFLOW_CONN_WAREHOUSE='postgresql://<<u>>:<<pw>>@<<h>>:5439/<<db>>'
export AIRFLOW__CORE__LOAD_EXAMPLES=False
airflow dags test nightly_rollup 2026-11-30""", u=pick(*USERS), pw=password(True), h=pick("redshift-prod.cx7.eu-west-1.redshift.amazonaws.com", "dwh.internal"), db=pick(*DBS)), "connection-string"


@pos
def p_yaml_app_token():
    return T("""# config/production.yml
server:
  port: 8443
  tls: true
integrations:
  github:
    app_id: <<aid>>
    installation_id: <<iid>>
  gitlab:
    url: https://gitlab.<<d>>
    token: <<k>>
  sentry:
    environment: production""", aid=r(DIG, 6), iid=r(DIG, 8), d=pick("acme.io", "corp.internal"), k=glpat()), "gitlab-pat"


@pos
def p_python_password_var():
    return T("""import paramiko

ssh = paramiko.SSHClient()
ssh.set_missing_host_key_policy(paramiko.AutoAddPolicy())
ssh.connect("<<h>>", username="<<u>>", password="<<pw>>", timeout=10)
stdin, stdout, stderr = ssh.exec_command("df -h /var/lib/docker")
print(stdout.read().decode())""", h=pick("10.12.0.5", "bastion.acme.io", "build-03"), u=pick("ubuntu", "ops", "root"), pw=password()), "generic-password"


@pos
def p_aws_env_export():
    return T("""ok so I ran

export AWS_ACCESS_KEY_ID=<<a>>
export AWS_SECRET_ACCESS_KEY=<<s>>
export AWS_DEFAULT_REGION=us-west-2
aws sts get-caller-identity

and it says SignatureDoesNotMatch. clock is synced. any idea?""", a=aws_akid(), s=aws_secret()), "aws-access-key"


@pos
def p_hf_cli():
    return T("""$ huggingface-cli login --token <<k>> --add-to-git-credential
Token is valid (permission: write).
Your token has been saved in your configured git credential helpers (store).
$ git push
remote: Password authentication in git is no longer supported.""", k=hf()), "huggingface-token"


@pos
def p_sendgrid_node_inline():
    return T("""const sgMail = require('@sendgrid/mail')
sgMail.setApiKey('<<k>>')
await sgMail.send({ to: user.email, from: 'no-reply@<<d>>', templateId: 'd-<<tid>>', dynamicTemplateData: { name: user.firstName } })""",
             k=sendgrid(), d=pick("fernhill.dev", "acme.io"), tid=r(HEX, 32)), "sendgrid-api-key"


@pos
def p_azure_cli_sas():
    return T("""az storage blob upload-batch \\
  --account-name <<a>> \\
  --account-key "<<k>>" \\
  --destination '$web' --source ./build --overwrite""", a=pick("fernhillweb", "acmestatic01"), k=azkey()), "azure-storage-key"


@pos
def p_jwt_in_test_log():
    t = jwt({"sub": "svc-" + pick(*SERVICES), "aud": "internal-api", "scope": "orders:write"})
    return T("""FAILED tests/integration/test_orders.py::test_create_order - AssertionError: 403 != 201
----------------------------- Captured log call ------------------------------
DEBUG    httpx:_client.py:1013 HTTP Request: POST https://orders.staging.<<d>>/v1/orders "HTTP/1.1 403 Forbidden"
DEBUG    tests.conftest:conftest.py:42 using service token <<t>>""", d=pick("acme.io", "fernhill.dev"), t=t), "jwt"


@pos
def p_rust_db_pw():
    return T("""let pool = PgPoolOptions::new()
    .max_connections(10)
    .connect("postgres://<<u>>:<<pw>>@<<h>>/<<db>>")
    .await?;""", u=pick(*USERS), pw=password(True), h=pick(*HOSTS), db=pick(*DBS)), "connection-string"


@pos
def p_php_env():
    return T("""<?php
// wp-config.php (staging)
define( 'DB_NAME', '<<db>>' );
define( 'DB_USER', '<<u>>' );
define( 'DB_PASSWORD', '<<pw>>' );
define( 'DB_HOST', 'localhost' );
define( 'WP_DEBUG', true );""", db=pick("wp_staging", "shop_wp"), u=pick("wp_user", "shop"), pw=password()), "generic-password"


# ====================================================================== NEGATIVES
N = []
def neg(f):
    N.append(f)
    return f


NAMES = ["Lena Vogt", "Marco Diaz", "Priya Nair", "Tom Berg", "Aiko Sato", "Sam Okafor"]


@neg
def n_git_log():
    lines = []
    for msg in R.sample(["fix: handle empty cart in checkout", "chore(deps): bump axios to 1.7.7", "feat: add CSV export for invoices",
                          "refactor: extract retry policy", "docs: update README setup steps", "test: cover refund edge cases",
                          "fix(auth): refresh token race", "ci: cache pip downloads"], 4):
        lines.append(f"commit {r(HEX, 40)}\nAuthor: {pick(*NAMES)} <dev@example.com>\nDate:   {pick('Mon', 'Tue', 'Wed', 'Thu')} Nov {R.randint(10, 28)} {R.randint(8, 19)}:{R.randint(10, 59)}:{R.randint(10, 59)} 2026 +0100\n\n    {msg}\n")
    return "$ git log -4\n" + "\n".join(lines), "git-sha"


@neg
def n_git_prose():
    return T("""The regression came in with <<a>> (the retry refactor). Reverting it fixes the flaky test, but <<b>> depends on it, so I'd rather cherry-pick <<c>> onto release/2.8 and keep the refactor. Thoughts?""",
             a=r(HEX, 40), b=r(HEX, 12), c=r(HEX, 40)), "git-sha"


@neg
def n_pkg_lock():
    def ent(name, ver):
        return f'''    "node_modules/{name}": {{
      "version": "{ver}",
      "resolved": "https://registry.npmjs.org/{name}/-/{name.split('/')[-1]}-{ver}.tgz",
      "integrity": "sha512-{b64(64)}",
      "dev": true
    }}'''
    return "{\n  \"lockfileVersion\": 3,\n  \"packages\": {\n" + ",\n".join(
        ent(n, v) for n, v in R.sample([("vitest", "2.1.4"), ("picocolors", "1.1.1"), ("esbuild", "0.24.0"), ("tinyglobby", "0.2.10"), ("@types/node", "22.9.0")], 3)) + "\n  }\n}", "npm-integrity"


@neg
def n_cargo_lock():
    return "\n\n".join(f'[[package]]\nname = "{n}"\nversion = "{v}"\nsource = "registry+https://github.com/rust-lang/crates.io-index"\nchecksum = "{r(HEX, 64)}"'
                       for n, v in R.sample([("serde", "1.0.214"), ("tokio", "1.41.1"), ("anyhow", "1.0.93"), ("bytes", "1.8.0"), ("itoa", "1.0.11")], 3)), "sha256-checksum"


@neg
def n_go_sum():
    out = []
    for m, v in R.sample([("github.com/google/uuid", "v1.6.0"), ("golang.org/x/sync", "v0.8.0"), ("github.com/stretchr/testify", "v1.9.0"), ("go.uber.org/zap", "v1.27.0")], 3):
        out.append(f"{m} {v} h1:{b64(32)}")
        out.append(f"{m} {v}/go.mod h1:{b64(32)}")
    return "\n".join(out), "go-sum"


@neg
def n_req_hashes():
    return T("""# requirements.txt (pip-compile --generate-hashes)
certifi==2024.8.30 \\
    --hash=sha256:<<a>> \\
    --hash=sha256:<<b>>
idna==3.10 \\
    --hash=sha256:<<c>>""", a=r(HEX, 64), b=r(HEX, 64), c=r(HEX, 64)), "sha256-checksum"


@neg
def n_docker_digest():
    return T("""      containers:
        - name: <<svc>>
          image: ghcr.io/acme/<<svc>>@sha256:<<d>>
          imagePullPolicy: IfNotPresent
        - name: envoy
          image: envoyproxy/envoy:v1.31.2@sha256:<<e>>""", svc=pick(*SERVICES), d=r(HEX, 64), e=r(HEX, 64)), "docker-digest"


@neg
def n_uuid_json():
    return json.dumps({"request_id": ruuid(), "order": {"id": ruuid(), "status": "shipped", "items": R.randint(1, 6)},
                       "correlation_id": ruuid(), "idempotency_key": ruuid()}, indent=2), "uuid"


@neg
def n_trace_log():
    return "\n".join(f'{{"ts":"2026-11-30T10:{R.randint(10, 59)}:{R.randint(10, 59)}.{R.randint(100, 999)}Z","level":"{pick("info", "warn")}","msg":"{m}","trace_id":"{r(HEX, 32)}","span_id":"{r(HEX, 16)}"}}'
                     for m in ["upstream call", "cache miss", "retrying request"]), "trace-id"


@neg
def n_data_uri():
    return T("""<img alt="logo" width="24" height="24"
     src="data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAABgAAAAYCAYAAADgdz34<<b>>" />
why is this rendered blurry on retina screens?""", b=b64(300)), "base64-image"


@neg
def n_proto_blob():
    return T("""def test_decode_envelope():
    # captured from the staging queue, serialized events.v1.Envelope
    raw = base64.b64decode(
        "CiQ<<b>>"
    )
    env = Envelope.FromString(raw)
    assert env.kind == "order.created\"""", b=b64(120)), "base64-blob"


@neg
def n_ssh_ed_pub():
    return T("""#cloud-config
users:
  - name: deploy
    groups: sudo
    shell: /bin/bash
    ssh_authorized_keys:
      - <<k>>
""", k=ssh_pub_ed25519(pick("lena@laptop", "ci@build-01", "deploy-2026"))), "public-key"


@neg
def n_ssh_rsa_tf():
    return T("""resource "aws_key_pair" "bastion" {
  key_name   = "bastion-<<env>>"
  public_key = "<<k>>"
}""", env=pick("prod", "staging"), k=ssh_pub_rsa("ops@acme")), "public-key"


@neg
def n_pem_pub():
    body = "MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEA" + base64.b64encode(rb(230)).decode() + "IDAQAB"
    return T("""# Public key used to VERIFY tokens issued by the auth service (safe to ship with the gateway)
jwt:
  algorithm: RS256
  public_key: |
    -----BEGIN PUBLIC KEY-----
<<b>>
    -----END PUBLIC KEY-----""", b="\n".join("    " + l for l in wrap64(body).split("\n"))), "public-key"


@neg
def n_cert():
    body = "MIIFazCCA1OgAwIBAgIUB" + base64.b64encode(rb(900)).decode()
    return "ssl_certificate /etc/nginx/certs/chain.pem;  # contents below for reference\n\n-----BEGIN CERTIFICATE-----\n" + wrap64(body) + "\n-----END CERTIFICATE-----", "certificate"


@neg
def n_stripe_pk():
    return T("""<script src="https://js.stripe.com/v3/"></script>
<script>
  const stripe = Stripe("pk_live_51<<b>>");
  const elements = stripe.elements({ clientSecret: window.__CLIENT_SECRET__ });
  elements.create("payment").mount("#payment-element");
</script>""", b=r(ALNUM, 97)), "stripe-publishable-key"


@neg
def n_stripe_pk_test():
    return T("""// src/lib/stripe.ts  (browser bundle)
import { loadStripe } from "@stripe/stripe-js";
export const stripePromise = loadStripe("pk_test_51<<b>>");""", b=r(ALNUM, 97)), "stripe-publishable-key"


@neg
def n_google_client_id():
    return T("""<div id="g_id_onload"
     data-client_id="<<n>>-<<s>>.apps.googleusercontent.com"
     data-login_uri="https://<<d>>/auth/google/callback"
     data-auto_prompt="false">
</div>""", n=r(DIG, 12), s=r(LO + DIG, 32), d=pick("fernhill.dev", "acme.io")), "oauth-client-id"


@neg
def n_firebase_web():
    proj = pick("fernhill-web", "acme-shop-7f21", "otter-notes")
    return T("""// public/firebase-init.js — loaded in the browser
import { initializeApp } from "https://www.gstatic.com/firebasejs/10.12.2/firebase-app.js";

const firebaseConfig = {
  apiKey: "AIza<<k>>",
  authDomain: "<<p>>.firebaseapp.com",
  projectId: "<<p>>",
  storageBucket: "<<p>>.appspot.com",
  messagingSenderId: "<<s>>",
  appId: "1:<<s>>:web:<<a>>"
};
initializeApp(firebaseConfig);""", k=r(URL, 35), p=proj, s=r(DIG, 12), a=r(HEX, 22)), "firebase-web-config"


@neg
def n_gtag():
    gid = "G-" + r(UP + DIG, 10)
    return T("""<!-- Google tag (gtag.js) -->
<script async src="https://www.googletagmanager.com/gtag/js?id=<<g>>"></script>
<script>
  window.dataLayer = window.dataLayer || [];
  function gtag(){dataLayer.push(arguments);}
  gtag('js', new Date());
  gtag('config', '<<g>>');
</script>""", g=gid), "analytics-id"


@neg
def n_env_example():
    return """# .env.example — copy to .env and fill in
OPENAI_API_KEY=YOUR_API_KEY
STRIPE_SECRET_KEY=your_stripe_secret_key_here
DATABASE_URL=postgres://USER:PASSWORD@HOST:5432/DBNAME
SLACK_BOT_TOKEN=
SENTRY_DSN=""", "placeholder"


@neg
def n_curl_placeholder():
    return T("""To list your deployments:

curl -H "Authorization: Bearer <token>" \\
     -H "Accept: application/json" \\
     https://api.<<d>>/v1/deployments?limit=20

Replace `<token>` with a personal access token from Settings → API.""", d=pick("fernhill.dev", "acme.io")), "placeholder"


@neg
def n_openai_xxx():
    return T("""OPENAI_API_KEY=sk-proj-<<x>>
# ^ put your real key here, never commit it""", x="x" * R.choice([20, 32, 48])), "placeholder"


@neg
def n_compose_vars():
    return """services:
  db:
    image: postgres:16
    environment:
      POSTGRES_USER: ${POSTGRES_USER}
      POSTGRES_PASSWORD: ${POSTGRES_PASSWORD:?set in .env}
  api:
    image: acme/api:latest
    environment:
      DATABASE_URL: postgres://${POSTGRES_USER}:${POSTGRES_PASSWORD}@db:5432/app
      JWT_SECRET: ${JWT_SECRET}""", "variable-reference"


@neg
def n_process_env():
    return T("""import Stripe from "stripe";

const stripe = new Stripe(process.env.STRIPE_SECRET_KEY!, { apiVersion: "2024-06-20" });
const webhookSecret = process.env.STRIPE_WEBHOOK_SECRET;
if (!webhookSecret) throw new Error("STRIPE_WEBHOOK_SECRET missing");
export default stripe;""",), "variable-reference"


@neg
def n_os_environ():
    return """import os
import boto3

session = boto3.Session(
    aws_access_key_id=os.environ["AWS_ACCESS_KEY_ID"],
    aws_secret_access_key=os.environ["AWS_SECRET_ACCESS_KEY"],
    region_name=os.getenv("AWS_REGION", "eu-central-1"),
)""", "variable-reference"


@neg
def n_changeme():
    return """# values.yaml (chart defaults — override in your environment!)
postgresql:
  auth:
    username: app
    password: changeme   # placeholder, the chart refuses to start in prod with this value
    database: app
redis:
  auth:
    enabled: true
    existingSecret: redis-auth""", "placeholder"


@neg
def n_redacted_header():
    return T("""> GET /v1/customers/cus_<<c>> HTTP/2
> Host: api.stripe.com
> Authorization: Bearer sk_live_****************************<<l>>
> Stripe-Version: 2024-06-20
< HTTP/2 404""", c=r(ALNUM, 14), l=r(ALNUM, 4)), "redacted"


@neg
def n_redacted_log():
    return T("""2026-11-29 22:14:03 WARN  http-client outbound request failed url=https://api.<<d>>/v2/sync status=401 headers={"Authorization":"[REDACTED]","X-Api-Key":"[REDACTED]","X-Request-Id":"<<u>>"}""",
             d=pick("partner.example", "vendor.example"), u=ruuid()), "redacted"


@neg
def n_format_doc():
    return """## Token formats we accept

* Personal access tokens start with `ghp_` followed by 36 alphanumeric characters.
* Fine-grained tokens start with `github_pat_`.
* OAuth tokens issued by our app start with `gho_`.

Never paste the token itself into an issue; paste the first four characters only.""", "format-doc"


@neg
def n_aws_example():
    return """From the AWS docs, the example credentials look like this:

aws_access_key_id = AKIAIOSFODNN7EXAMPLE
aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY

I used exactly these in my moto-based unit tests, is that OK or do I need real ones?""", "example-key"


@neg
def n_build_output():
    lines = [f"dist/assets/{n}-{r(URL, 8)}.{e}  {R.randint(1, 480)}.{R.randint(10, 99)} kB │ gzip: {R.randint(1, 150)}.{R.randint(10, 99)} kB"
             for n, e in [("index", "css"), ("index", "js"), ("vendor", "js"), ("Dashboard", "js"), ("chart", "js")]]
    return "vite v5.4.10 building for production...\n✓ 1421 modules transformed.\n" + "\n".join(lines) + "\n✓ built in 6.82s", "build-hash"


@neg
def n_webpack_chunks():
    return "\n".join(f'  "{n}": "/_next/static/chunks/{n}-{r(HEX, 16)}.js",' for n in ["framework", "main", "pages/_app", "webpack", "pages/index"]) + \
           f'\n  "buildId": "{r(URL, 21)}"', "build-hash"


@neg
def n_css_hash():
    return T("""<div class="Card_root__<<a>> Card_elevated__<<b>>">
  <h3 class="Card_title__<<c>>">Monthly revenue</h3>
  <span class="css-<<d>>">€12,480</span>
</div>""", a=r(URL, 5), b=r(URL, 5), c=r(URL, 5), d=r(LO + DIG, 7)), "build-hash"


@neg
def n_versions():
    return """{
  "name": "@acme/web",
  "version": "3.14.0",
  "dependencies": {
    "react": "^18.3.1",
    "react-dom": "^18.3.1",
    "next": "14.2.18",
    "zod": "3.23.8"
  },
  "engines": { "node": ">=20.11.0" }
}""", "version"


@neg
def n_cache_key():
    return T("""Run actions/cache@v4
Cache restored successfully
Cache restored from key: Linux-node-<<h>>
Received 48234496 of 48234496 (100.0%), 46.0 MBs/sec""", h=r(HEX, 64)), "cache-key"


@neg
def n_html_password_field():
    return """<form method="post" action="/login">
  <label for="email">Email</label>
  <input id="email" name="email" type="email" autocomplete="username" required>
  <label for="password">Password</label>
  <input id="password" name="password" type="password" autocomplete="current-password" minlength="12" required>
  <button type="submit">Sign in</button>
</form>""", "password-field"


@neg
def n_sql_schema():
    return """CREATE TABLE users (
    id            BIGSERIAL PRIMARY KEY,
    email         CITEXT UNIQUE NOT NULL,
    password_hash TEXT NOT NULL,
    api_token_id  UUID REFERENCES api_tokens(id),
    created_at    TIMESTAMPTZ NOT NULL DEFAULT now()
);""", "password-field"


@neg
def n_login_fn():
    return """def login(username: str, password: str) -> Session:
    user = repo.find_by_username(username)
    if user is None or not pwd_context.verify(password, user.password_hash):
        raise InvalidCredentials()
    token = issue_token(user.id)
    return Session(user_id=user.id, token=token)""", "password-field"


@neg
def n_pydantic():
    return """class DatabaseSettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="DB_")

    host: str = "localhost"
    port: int = 5432
    user: str
    password: SecretStr
    api_key: SecretStr | None = None""", "password-field"


@neg
def n_k8s_secretref():
    return T("""          env:
            - name: DB_PASSWORD
              valueFrom:
                secretKeyRef:
                  name: <<svc>>-db
                  key: password
            - name: OPENAI_API_KEY
              valueFrom:
                secretKeyRef:
                  name: llm-keys
                  key: openai""", svc=pick(*SERVICES)), "variable-reference"


@neg
def n_tf_vars():
    return """variable "db_password" {
  type      = string
  sensitive = true
}

resource "aws_db_instance" "main" {
  identifier          = "orders-prod"
  engine              = "postgres"
  instance_class      = "db.t4g.medium"
  username            = "app"
  password            = var.db_password
  skip_final_snapshot = false
}""", "variable-reference"


@neg
def n_gha_secrets():
    return T("""      - uses: actions/setup-node@<<s>> # v4.1.0
        with:
          node-version: 20
          registry-url: https://registry.npmjs.org
      - run: npm publish --provenance
        env:
          NODE_AUTH_TOKEN: ${{ secrets.NPM_TOKEN }}""", s=r(HEX, 40)), "variable-reference"


@neg
def n_vault_ref():
    return """spring:
  config:
    import: vault://
  cloud:
    vault:
      uri: https://vault.internal:8200
      authentication: KUBERNETES
      kv:
        backend: secret
        default-context: orders
  datasource:
    password: ${vault.secret.data.orders.db-password}""", "variable-reference"


@neg
def n_arn():
    return T("""Resources:
  TaskRole:
    Type: AWS::IAM::Role
    Properties:
      Policies:
        - PolicyName: read-db-secret
          PolicyDocument:
            Statement:
              - Effect: Allow
                Action: secretsmanager:GetSecretValue
                Resource: arn:aws:secretsmanager:eu-west-1:<<a>>:secret:prod/orders/db-<<s>>""", a=r(DIG, 12), s=r(ALNUM, 6)), "resource-id"


@neg
def n_ghp_xxx():
    return pick("""Set the token in your shell before running the script:

    export GITHUB_TOKEN=ghp_XXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX

(the X's are a placeholder; generate yours under Developer settings)""",
                """# .github/dependabot-secrets.example
GH_PAT=ghp_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx   # replace me"""), "placeholder"


@neg
def n_ant_placeholder():
    return """client = anthropic.Anthropic(
    api_key="sk-ant-api03-REPLACE_WITH_YOUR_KEY",  # or set ANTHROPIC_API_KEY
)""", "placeholder"


@neg
def n_slack_placeholder():
    return pick("""SLACK_BOT_TOKEN=xoxb-your-bot-token
SLACK_SIGNING_SECRET=your-signing-secret""",
                """Incoming webhooks look like https://hooks.slack.com/services/T00000000/B00000000/XXXXXXXXXXXXXXXXXXXXXXXX — create one per channel in the app settings."""), "placeholder"


@neg
def n_pg_nopw():
    return T("""DATABASE_URL=postgres://<<u>>@<<h>>:5432/<<db>>?sslmode=verify-full&sslrootcert=/etc/ssl/rds-ca.pem
# auth is IAM-based (rds-db:connect), no password in the URL""", u=pick(*USERS), h=pick(*HOSTS), db=pick(*DBS)), "connection-string-no-secret"


@neg
def n_pem_elided():
    return """Paste your key into the `deploy_key` field in this form:

-----BEGIN OPENSSH PRIVATE KEY-----
...
-----END OPENSSH PRIVATE KEY-----

and make sure the trailing newline is kept.""", "placeholder"


@neg
def n_jwt_structure():
    return """A JWT has three base64url parts separated by dots: `header.payload.signature`, e.g. `eyJhbGciOi...` for the header. The middleware reads it from `Authorization: Bearer <jwt>` and rejects anything older than `exp`.""", "format-doc"


@neg
def n_account_arn():
    return T("""aws sts get-caller-identity
{
    "UserId": "AROA<<u>>:ci-session",
    "Account": "<<a>>",
    "Arn": "arn:aws:sts::<<a>>:assumed-role/ci-deployer/ci-session"
}""", u=r(UP + "234567", 17), a=r(DIG, 12)), "resource-id"


@neg
def n_hex_colors():
    return """:root {
  --brand-500: #3b82f6;
  --brand-600: #2563eb;
  --surface: #0f172a;
  --accent: #f59e0bcc;
  --shadow: 0 1px 2px rgb(0 0 0 / 0.05);
}""", "css"


@neg
def n_font_b64():
    return T("""@font-face {
  font-family: "IconFont";
  src: url("data:font/woff2;base64,d09GMgABAAAAA<<b>>") format("woff2");
  font-display: block;
}""", b=b64(200)), "base64-blob"


@neg
def n_sri():
    return T("""<script src="https://cdn.jsdelivr.net/npm/alpinejs@3.14.3/dist/cdn.min.js"
        integrity="sha384-<<b>>"
        crossorigin="anonymous" defer></script>""", b=b64(48)), "sri-hash"


@neg
def n_yarn_lock():
    return T('''"@babel/core@^7.24.0":
  version "7.26.0"
  resolved "https://registry.yarnpkg.com/@babel/core/-/core-7.26.0.tgz#<<h>>"
  integrity sha512-<<b>>''', h=r(HEX, 40), b=b64(64)), "npm-integrity"


@neg
def n_docker_images():
    rows = "\n".join(f"{n:<28}{t:<10}{r(HEX, 12)}   {R.randint(2, 9)} days ago   {R.randint(80, 900)}MB" for n, t in
                     [("acme/api", "1.14.2"), ("postgres", "16"), ("redis", "7-alpine"), ("acme/worker", "latest")])
    return "REPOSITORY                  TAG       IMAGE ID       CREATED        SIZE\n" + rows, "docker-id"


@neg
def n_kubectl_pods():
    svc = pick(*SERVICES)
    rows = "\n".join(f"{svc}-{r(LO[:20] + DIG, 10)}-{r('bcdfghjklmnpqrstvwxz2456789', 5)}   1/1     Running   {R.randint(0, 3)}          {R.randint(1, 9)}d" for _ in range(3))
    return "NAME                                READY   STATUS    RESTARTS   AGE\n" + rows, "k8s-names"


@neg
def n_mongo_ids():
    return json.dumps([{"_id": {"$oid": r(HEX, 24)}, "sku": f"SKU-{R.randint(10000, 99999)}", "qty": R.randint(1, 50)} for _ in range(3)], indent=1), "object-id"


@neg
def n_sentry_event():
    return T("""Sentry event <<e>> — release web@<<rel>> — environment production
TypeError: Cannot read properties of undefined (reading 'map')
  at OrderList (src/components/OrderList.tsx:42:19)""", e=r(HEX, 32), rel=r(HEX, 40)), "trace-id"


@neg
def n_idempotency():
    return T("""curl -X POST https://api.<<d>>/v1/transfers \\
  -H "Authorization: Bearer $API_TOKEN" \\
  -H "Idempotency-Key: <<u>>" \\
  -d amount=1500 -d currency=usd""", d=pick("payments.example", "acme.io"), u=ruuid()), "uuid"


@neg
def n_etag():
    return T("""HTTP/1.1 304 Not Modified
ETag: "<<e>>"
Cache-Control: public, max-age=31536000, immutable
Last-Modified: Tue, 26 Nov 2026 08:12:44 GMT""", e=r(HEX, 32)), "etag"


@neg
def n_pw_policy():
    return """Password policy for the admin console: at least 14 characters, one number, one symbol; rotated every 90 days; the last 5 passwords cannot be reused. Tokens expire after 30 days of inactivity.""", "prose"


@neg
def n_i18n():
    return """{
  "login.password.label": "Password",
  "login.password.placeholder": "Enter your password",
  "login.password.forgot": "Forgot password?",
  "settings.token.title": "API token",
  "settings.token.hint": "Your token is shown only once after creation."
}""", "password-field"


@neg
def n_test_dummy():
    return """@pytest.fixture
def client(monkeypatch):
    monkeypatch.setenv("API_TOKEN", "test-token")
    monkeypatch.setenv("DB_PASSWORD", "not-a-real-password")
    with TestClient(app) as c:
        yield c""", "placeholder"


@neg
def n_german():
    return """Kurze Frage zur Konfiguration: In der `.env` steht bei uns `API_KEY=<dein-schlüssel>` und der eigentliche Schlüssel kommt aus dem Vault. Muss ich den Platzhalter trotzdem ersetzen, damit `docker compose up` startet? Lokal bekomme ich nur „missing API key“.""", "placeholder"


@neg
def n_spanish():
    return """En producción la contraseña se lee con `os.environ["DB_PASSWORD"]`, así que no está en el repositorio. ¿Alguien sabe por qué el contenedor arranca con la variable vacía? Ya revisé el `secretKeyRef` y el nombre coincide.""", "variable-reference"


@neg
def n_japanese():
    return T("""ログに出ているキーはマスクされています: api_key=sk-****<<l>>
本物のキーはSecrets Managerに保存しているので、この値から漏洩することはないと思いますが、念のため確認お願いします。""", l=r(ALNUM, 4)), "redacted"


@neg
def n_stripe_ids():
    return json.dumps({"id": "evt_1" + r(ALNUM, 23), "type": "charge.succeeded", "data": {"object": {
        "id": "ch_3" + r(ALNUM, 23), "customer": "cus_" + r(ALNUM, 14), "payment_intent": "pi_3" + r(ALNUM, 23),
        "amount": 4999, "currency": "eur", "livemode": True}}}, indent=2), "resource-id"


@neg
def n_openai_ids():
    return json.dumps({"id": "chatcmpl-" + r(ALNUM, 29), "object": "chat.completion", "model": "gpt-4o-mini-2024-07-18",
                       "system_fingerprint": "fp_" + r(HEX, 10), "usage": {"prompt_tokens": 412, "completion_tokens": 96}}, indent=2), "resource-id"


@neg
def n_twilio_msg_sid():
    return T("""POST /sms/status HTTP/1.1
Content-Type: application/x-www-form-urlencoded

MessageSid=SM<<m>>&MessageStatus=delivered&ErrorCode=&ApiVersion=2010-04-01""", m=r(HEX, 32)), "resource-id"


@neg
def n_hf_revision():
    return T("""model = AutoModel.from_pretrained(
    "sentence-transformers/all-MiniLM-L6-v2",
    revision="<<h>>",  # pin to commit for reproducibility
    token=os.environ.get("HF_TOKEN"),
)""", h=r(HEX, 40)), "git-sha"


@neg
def n_masked_pw():
    return """$ psql "$DATABASE_URL" -c '\\conninfo'
You are connected to database "app" as user "app" on host "db" at port "5432".
$ env | grep DB_
DB_HOST=db
DB_USER=app
DB_PASSWORD=********""", "redacted"


@neg
def n_java_value():
    return """@Component
public class PaymentsClient {
    @Value("${payments.api.key}")
    private String apiKey;

    @Value("${spring.datasource.password}")
    private String dbPassword;
}""", "variable-reference"


@neg
def n_rust_env():
    return """let api_key = std::env::var("OPENAI_API_KEY").context("OPENAI_API_KEY not set")?;
let client = Client::builder()
    .default_headers(auth_headers(&api_key)?)
    .timeout(Duration::from_secs(30))
    .build()?;""", "variable-reference"


@neg
def n_git_submodule():
    return "\n".join(f" {r(HEX, 40)} {p} ({t})" for p, t in [("vendor/protos", "v0.9.1"), ("third_party/boringssl", "heads/main"), ("docs/theme", "v2.3.0-4-g" + r(HEX, 7))]), "git-sha"


@neg
def n_mac_and_serial():
    return T("""Device inventory export:
serial,model,firmware,checksum
<<s1>>,RX-200,4.2.17,<<c1>>
<<s2>>,RX-210,4.3.2,<<c2>>""", s1=r(UP + DIG, 12), s2=r(UP + DIG, 12), c1=r(HEX, 32), c2=r(HEX, 32)), "checksum"


@neg
def n_password_reset_prose():
    return """When a user clicks "reset password" we generate a one-time link, store only its SHA-256 digest, and expire it after 20 minutes. Should the reset token be invalidated when the user logs in normally before using it?""", "prose"


@neg
def n_secret_config_ref():
    return """# sops-encrypted file; values are decrypted at deploy time
db_password: ENC[AES256_GCM,data:<ciphertext omitted>,type:str]
api_key: ENC[AES256_GCM,data:<ciphertext omitted>,type:str]
sops:
    kms:
        - arn: arn:aws:kms:eu-west-1:000000000000:key/example""", "placeholder"


@neg
def n_long_flask():
    return '''import logging
import os

import stripe
from flask import Flask, jsonify, request

log = logging.getLogger(__name__)
app = Flask(__name__)

stripe.api_key = os.environ["STRIPE_SECRET_KEY"]
WEBHOOK_SECRET = os.environ["STRIPE_WEBHOOK_SECRET"]
app.config["SECRET_KEY"] = os.environ.get("FLASK_SECRET_KEY")


@app.post("/webhooks/stripe")
def stripe_webhook():
    payload = request.get_data()
    sig = request.headers.get("Stripe-Signature", "")
    try:
        event = stripe.Webhook.construct_event(payload, sig, WEBHOOK_SECRET)
    except stripe.error.SignatureVerificationError:
        log.warning("bad signature")
        return "", 400
    if event["type"] == "invoice.paid":
        invoice = event["data"]["object"]
        log.info("invoice paid id=%s customer=%s", invoice["id"], invoice["customer"])
    return jsonify(received=True)


@app.get("/healthz")
def healthz():
    return jsonify(status="ok", version=os.environ.get("GIT_SHA", "dev"))


if __name__ == "__main__":
    app.run(host="0.0.0.0", port=int(os.environ.get("PORT", "8000")))
''', "variable-reference"


@neg
def n_long_k8s():
    svc = pick(*SERVICES)
    return T('''apiVersion: apps/v1
kind: Deployment
metadata:
  name: <<svc>>
  annotations:
    checksum/config: <<c>>
spec:
  replicas: 2
  selector:
    matchLabels: { app: <<svc>> }
  template:
    metadata:
      labels: { app: <<svc>> }
    spec:
      serviceAccountName: <<svc>>
      containers:
        - name: app
          image: ghcr.io/acme/<<svc>>@sha256:<<d>>
          env:
            - name: OTEL_SERVICE_NAME
              value: <<svc>>
            - name: OPENAI_API_KEY
              valueFrom:
                secretKeyRef: { name: llm-keys, key: openai }
            - name: DB_PASSWORD
              valueFrom:
                secretKeyRef: { name: <<svc>>-db, key: password }
          envFrom:
            - configMapRef: { name: <<svc>>-config }
          ports:
            - containerPort: 8080
          livenessProbe:
            httpGet: { path: /healthz, port: 8080 }
''', svc=svc, c=r(HEX, 64), d=r(HEX, 64)), "variable-reference"


@neg
def n_long_gha():
    return T('''name: deploy
on:
  workflow_dispatch:
  push:
    branches: [main]

permissions:
  id-token: write
  contents: read

jobs:
  deploy:
    runs-on: ubuntu-latest
    environment: production
    steps:
      - uses: actions/checkout@<<a>> # v4.2.2
      - uses: aws-actions/configure-aws-credentials@<<b>> # v4.0.2
        with:
          role-to-assume: arn:aws:iam::<<acct>>:role/gha-deploy
          aws-region: eu-central-1
      - uses: docker/login-action@<<c>> # v3.3.0
        with:
          registry: ghcr.io
          username: ${{ github.actor }}
          password: ${{ secrets.GITHUB_TOKEN }}
      - run: ./scripts/deploy.sh
        env:
          SLACK_WEBHOOK_URL: ${{ secrets.SLACK_WEBHOOK_URL }}
          SENTRY_AUTH_TOKEN: ${{ secrets.SENTRY_AUTH_TOKEN }}
''', a=r(HEX, 40), b=r(HEX, 40), c=r(HEX, 40), acct=r(DIG, 12)), "variable-reference"


@neg
def n_long_go():
    return T('''package telemetry

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"os"

	"go.opentelemetry.io/otel/trace"
)

// build metadata injected via -ldflags
var (
	GitCommit = "<<sha>>"
	BuildID   = "<<bid>>"
)

func APIKey() (string, error) {
	k := os.Getenv("DD_API_KEY")
	if k == "" {
		return "", fmt.Errorf("DD_API_KEY not set")
	}
	return k, nil
}

func CacheKey(parts ...string) string {
	h := sha256.New()
	for _, p := range parts {
		h.Write([]byte(p))
	}
	return hex.EncodeToString(h.Sum(nil))
}

func LogIDs(ctx context.Context) {
	sc := trace.SpanContextFromContext(ctx)
	// example: trace=<<tid>> span=<<sid>>
	fmt.Printf("trace=%s span=%s\\n", sc.TraceID(), sc.SpanID())
}
''', sha=r(HEX, 40), bid=ruuid(), tid=r(HEX, 32), sid=r(HEX, 16)), "git-sha"


@neg
def n_long_tf():
    return T('''provider "aws" {
  region = var.region
  # credentials come from the OIDC role assumed by CI; nothing hard-coded here
}

data "aws_secretsmanager_secret_version" "db" {
  secret_id = "prod/orders/db"
}

locals {
  db_creds = jsondecode(data.aws_secretsmanager_secret_version.db.secret_string)
}

resource "aws_lambda_function" "exporter" {
  function_name    = "orders-exporter"
  role             = aws_iam_role.exporter.arn
  runtime          = "python3.12"
  handler          = "app.handler"
  filename         = "build/exporter.zip"
  source_code_hash = "<<h>>"

  environment {
    variables = {
      DB_HOST     = aws_db_instance.main.address
      DB_USER     = local.db_creds["username"]
      DB_PASSWORD = local.db_creds["password"]
      LOG_LEVEL   = "INFO"
    }
  }
}
''', h=b64(32)), "variable-reference"


@neg
def n_firebase_ts_hard():
    return T("""export const environment = {
  production: true,
  firebase: {
    apiKey: "AIza<<k>>",
    authDomain: "<<p>>.firebaseapp.com",
    projectId: "<<p>>",
    appId: "1:<<s>>:web:<<a>>",
  },
  gaMeasurementId: "G-<<g>>",
};
// this file is bundled into the Angular SPA; access is enforced by Firestore security rules""",
             k=r(URL, 35), p=pick("otter-notes", "fernhill-web"), s=r(DIG, 12), a=r(HEX, 22), g=r(UP + DIG, 10)), "firebase-web-config"


@neg
def n_sha256sum():
    return T("""$ sha256sum terraform_1.9.8_linux_amd64.zip
<<a>>  terraform_1.9.8_linux_amd64.zip
$ grep linux_amd64 terraform_1.9.8_SHA256SUMS
<<a>>  terraform_1.9.8_linux_amd64.zip""", a=r(HEX, 64)), "sha256-checksum"


@neg
def n_dd_placeholder():
    return """helm install datadog-agent datadog/datadog \\
  --set datadog.apiKeyExistingSecret=datadog-secret \\
  --set datadog.site=datadoghq.eu
# create the secret first: kubectl create secret generic datadog-secret --from-literal api-key=$DD_API_KEY""", "variable-reference"


@neg
def n_jwks():
    return json.dumps({"keys": [{"kty": "RSA", "use": "sig", "alg": "RS256", "kid": r(HEX, 16),
                                 "n": b64url(rb(256)), "e": "AQAB"}]}, indent=2), "public-key"


@neg
def n_azure_conn_placeholder():
    return """"ConnectionStrings": {
  "Blob": "DefaultEndpointsProtocol=https;AccountName=<account-name>;AccountKey=<account-key>;EndpointSuffix=core.windows.net",
  "Local": "UseDevelopmentStorage=true"
}""", "placeholder"


@neg
def n_npm_token_list():
    return T("""$ npm token list
┌────────┬─────────┬────────────┬──────────┬────────────────┐
│ id     │ token   │ created    │ readonly │ CIDR whitelist │
├────────┼─────────┼────────────┼──────────┼────────────────┤
│ <<a>> │ npm_<<p>>… │ 2026-09-14 │ no       │                │
└────────┴─────────┴────────────┴──────────┴────────────────┘""", a=r(HEX, 6), p=r(ALNUM, 4)), "redacted"


@neg
def n_connstr_env_interp():
    return """const pool = new Pool({
  connectionString: `postgres://${process.env.PGUSER}:${process.env.PGPASSWORD}@${process.env.PGHOST}:5432/${process.env.PGDATABASE}`,
  max: 10,
});""", "variable-reference"


@neg
def n_lorem_random():
    return T("""Our cache key is built as `v3:${tenantId}:${sha1(query)}`, e.g. `v3:t_<<t>>:<<h>>`. After the deploy the hit rate dropped to 4% — is the tenant prefix maybe wrong?""",
             t=r(LO + DIG, 8), h=r(HEX, 40)), "cache-key"


# ---------------------------------------------------------------- build
def main():
    seen = set()
    rows = []

    def collect(funcs, label, n):
        out = []
        i = 0
        guard = 0
        while len(out) < n:
            f = funcs[i % len(funcs)]
            i += 1
            text, rule = f()
            guard += 1
            assert guard < n * 20
            if text in seen:
                continue
            seen.add(text)
            out.append((text, label, rule))
        return out

    pos_rows = collect(P, 1, 150)
    neg_rows = collect(N, 0, 150)
    allrows = pos_rows + neg_rows
    R.shuffle(allrows)
    here = os.path.dirname(os.path.abspath(__file__))
    with open(os.path.join(here, "secrets-ide-holdout.jsonl"), "w", encoding="utf-8") as fh:
        for i, (text, label, rule) in enumerate(allrows, 1):
            fh.write(json.dumps({"id": f"sh-{i:03d}", "text": text, "label": label, "source": "holdout_secrets",
                                 "rule": rule, "license": "CC0-1.0"}, ensure_ascii=False) + "\n")
    print("templates: pos", len(P), "neg", len(N))


if __name__ == "__main__":
    main()
