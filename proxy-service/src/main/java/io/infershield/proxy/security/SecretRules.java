package io.infershield.proxy.security;

import static io.infershield.proxy.security.SecretRule.Edge.NONE;
import static io.infershield.proxy.security.SecretRule.Edge.RIGHT;
import static io.infershield.proxy.security.SecretRule.Edge.STRICT;
import static io.infershield.proxy.security.SecretRule.Edge.WORD;
import static io.infershield.proxy.security.SecretRule.of;

import java.util.List;

/**
 * Provider token formats, modelled on the gitleaks default configuration (MIT) and detect-secrets plugins
 * (Apache-2.0): a fixed prefix or a structural marker, a character class and a length. Values that only look
 * like a token (placeholders, low entropy) are dropped by {@link SecretDetector}.
 */
final class SecretRules {

    private SecretRules() {
    }

    static List<SecretRule> all() {
        return List.of(
                // InferShield's own credentials: personal IDE keys minted by auth-service.
                of("infershield-key", "isk_", "(isk_[A-Za-z0-9_-]{24,})", 3.0, WORD, 98),
                of("aws-access-token", "akia,asia,abia,acca,a3t", "((?:A3T[A-Z0-9]|AKIA|ASIA|ABIA|ACCA)[A-Z2-7]{16})", 0, WORD, 92),
                // Google API keys (AIza + 35) are Gemini's keys too, but the same shape is a Firebase web config's
                // apiKey, which Google documents as public: a key counts only next to a Gemini/Google API context
                // (the word before it within 200 chars, or after it within 60), as in ?key= on googleapis.com
                of("google-api-key", "gemini,genai,generativeai,generativelanguage,googleapis,google_api_key",
                        "(?i:gemini|genai|generativeai|generativelanguage|googleapis|google_api_key)[\\s\\S]{0,200}?"
                                + "(AIza[0-9A-Za-z_-]{35})", 3.0, STRICT, 88).inContext(),
                of("google-api-key", "gemini,genai,generativeai,generativelanguage,googleapis,google_api_key",
                        "(AIza[0-9A-Za-z_-]{35})[\\s\\S]{0,60}?"
                                + "(?i:gemini|genai|generativeai|generativelanguage|googleapis|google_api_key)",
                        3.0, STRICT, 88).inContext(),
                of("aws-secret-access-key", "aws",
                        "(?i)aws.{0,20}(?:secret|access).{0,20}?[\"']?\\s{0,3}(?:=|:|:=|=>)\\s{0,3}[\"']?([A-Za-z0-9/+]{40})",
                        3.5, WORD, 90).inContext(),
                of("github-pat", "ghp_,gho_,ghu_,ghs_,ghr_", "((?:ghp|gho|ghu|ghs|ghr)_[0-9A-Za-z]{36})", 3.0, WORD, 95),
                of("github-fine-grained-pat", "github_pat_", "(github_pat_[0-9A-Za-z_]{82})", 3.0, WORD, 95),
                // GitLab's Devise friendly_token is 20 chars by default; detect-secrets bounds the body at 20-50
                // (ref. docs.gitlab.com/ee/security/token_overview.html): a longer run is some other identifier
                of("gitlab-token", "glpat-,gldt-,glsoat-,glcbt-,glrt-,glft-,glffct-,glsa-",
                        "((?:glpat|gldt|glsoat|glcbt|glrt|glft|glffct)-[0-9A-Za-z_-]{20,50})", 3.0, WORD, 92),
                of("gitlab-token", "glimt-", "(glimt-[0-9A-Za-z_-]{25})", 3.0, STRICT, 90),
                of("gitlab-token", "glptt-", "(glptt-[0-9A-Za-z_-]{40})", 3.0, STRICT, 90),
                of("gitlab-token", "glagent-", "(glagent-[0-9A-Za-z_-]{50,})", 3.0, WORD, 90),
                of("gitlab-token", "gloas-", "(gloas-[0-9A-Za-z_-]{64})", 3.0, STRICT, 90),
                of("gitlab-token", "gr1348941", "(GR1348941[0-9A-Za-z_-]{20,50})", 3.0, WORD, 90),
                of("slack-token", "xoxb-,xoxp-,xoxa-,xoxr-,xoxs-,xoxo-",
                        "(xox[bpaesor]-[0-9]{8,14}(?:-[0-9]{8,14}){0,3}-[0-9A-Za-z]*[A-Za-z][0-9A-Za-z]{6,})", 2.5, WORD, 92),
                of("slack-token", "xoxe", "(xoxe\\.xox[bp]-[0-9]-[A-Za-z0-9]{150,}|xoxe-[0-9]-[A-Za-z0-9]{140,})", 3.5, WORD, 92),
                of("slack-token", "xoxa-,xoxr-", "(xox[ar]-[0-9]-[0-9A-Za-z-]{30,})", 2.5, WORD, 90),
                of("slack-app-token", "xapp-", "(xapp-[0-9]-[A-Z0-9]+-[0-9]+-[a-z0-9]+)", 3.0, WORD, 92).withMinLength(12),
                of("slack-webhook-url", "hooks.slack.com",
                        "(hooks\\.slack\\.com/(?:services|workflows|triggers)/[A-Za-z0-9+/_-]{20,})", 3.0, NONE, 92),
                of("openai-api-key", "t3blbkfj",
                        "(sk-(?:(?:proj|svcacct|admin)-)?[A-Za-z0-9_-]{20,}T3BlbkFJ[A-Za-z0-9_-]{20,})", 3.0, WORD, 96),
                of("anthropic-api-key", "sk-ant-", "(sk-ant-(?:api|admin)[0-9]{2}-[A-Za-z0-9_-]{93}AA)", 3.0, WORD, 96),
                of("stripe-key", "sk_live,sk_test,rk_live,rk_test,sk_prod,rk_prod",
                        "((?:sk|rk)_(?:test|live|prod)_[A-Za-z0-9]{10,99})", 3.0, WORD, 92),
                of("huggingface-token", "hf_", "(hf_[A-Za-z]{34})", 3.0, WORD, 88),
                of("huggingface-token", "api_org_", "(api_org_[A-Za-z]{34})", 3.0, WORD, 88),
                of("npm-token", "npm_", "(npm_[A-Za-z0-9]{36})", 3.0, WORD, 92),
                of("npmrc-auth-token", "_authtoken", "//[^\\s/][^\\s]*/:_authToken=\\s*(npm_[A-Za-z0-9_-]+|[A-Fa-f0-9-]{36})", 0, NONE, 88)
                        .inContext().ownsName("_authToken"),
                of("pypi-token", "pypi-", "(pypi-Ag[A-Za-z0-9_-]{14,30}[A-Za-z0-9_-]{70,})", 3.0, WORD, 94),
                of("sendgrid-api-key", "sg.", "(SG\\.[A-Za-z0-9_-]{22}\\.[A-Za-z0-9_-]{43})", 3.0, WORD, 94),
                of("twilio-api-key", "sk", "(SK[0-9a-fA-F]{32})", 3.0, WORD, 70).withMinLength(34),
                of("mailchimp-api-key", "-us", "([0-9a-f]{32}-us[0-9]{1,2})", 3.0, WORD, 85).withMinLength(35),
                of("mailgun-api-key", "key-", "(key-[0-9a-z]{32})", 3.3, WORD, 80).withMinLength(36),
                of("telegram-bot-token", ":aa", "([0-9]{8,10}:AA[0-9A-Za-z_-]{33})", 3.0, WORD, 90).withMinLength(43),
                // Discord (discord.com/developers/docs/reference#authentication): base64 of the numeric user id, so
                // the first char is M, N or O; found inside a longer run as detect-secrets does
                of("discord-bot-token", ".", "([MNO][A-Za-z0-9_-]{23,25}\\.[A-Za-z0-9_-]{6}\\.[A-Za-z0-9_-]{27,38})", 3.0, RIGHT, 85).withMinLength(58),
                of("sentry-token", "sntrys_,sntryu_", "(sntrys_eyJ[A-Za-z0-9+/=_-]{50,}|sntryu_[a-f0-9]{64})", 3.0, WORD, 94),
                of("vault-token", "hvs.,hvb.", "(hv[sb]\\.[A-Za-z0-9_-]{90,})", 3.5, WORD, 92),
                of("vault-token", "s.", "(s\\.[A-Za-z0-9]{24})", 3.0, STRICT, 75).withMinLength(26),
                of("1password-service-account-token", "ops_eyj", "(ops_eyJ[A-Za-z0-9+/=_-]{250,})", 4.0, WORD, 94).withReach(4096),
                of("1password-secret-key", "a3-", "(A3-[A-Z0-9]{6}-(?:[A-Z0-9]{11}|[A-Z0-9]{6}-[A-Z0-9]{5})-[A-Z0-9]{5}-[A-Z0-9]{5}-[A-Z0-9]{5})", 3.0, WORD, 90).withMinLength(35),
                of("age-secret-key", "age-secret-key-1", "(AGE-SECRET-KEY-1[QPZRY9X8GF2TVDW0S3JN54KHCE6MUA7L]{58})", 0, WORD, 95),
                of("atlassian-api-token", "atatt3", "(ATATT3[A-Za-z0-9_=-]{186})", 3.5, WORD, 94),
                of("azure-ad-client-secret", "q~", "([A-Za-z0-9_~.]{3}[0-9]Q~[A-Za-z0-9_~.-]{31,34})", 3.0, WORD, 88).withMinLength(37),
                of("azure-storage-key", "accountkey=", "AccountKey=([A-Za-z0-9+/]{86}==)", 3.5, NONE, 94),
                of("clickhouse-cloud-key", "4b1d", "(4b1d[A-Za-z0-9]{38})", 3.5, WORD, 85),
                of("cloudflare-origin-ca-key", "v1.0-", "(v1\\.0-[a-f0-9]{24}-[a-f0-9]{146})", 3.0, WORD, 92),
                of("facebook-access-token", "eaam,eaac,eaag", "(EAA[MCG][A-Za-z0-9]{100,})", 3.5, WORD, 90),
                of("facebook-app-token", "|,%7c", "([0-9]{15,16}(?:\\||%7C)[0-9A-Za-z_-]{27,40})", 3.0, WORD, 85).withMinLength(43),
                of("gcp-service-account", "service_account", "(\"type\"\\s*:\\s*\"service_account\")", 0, NONE, 80).inContext(),
                of("intra42-client-secret", "s-s4t2", "(s-s4t2(?:ud|af)-[a-f0-9]{64})", 3.0, WORD, 94),
                of("maxmind-license-key", "_mmk", "([A-Za-z0-9]{6}_[A-Za-z0-9]{29}_mmk)", 3.0, WORD, 90),
                of("notion-api-token", "ntn_", "(ntn_[0-9]{11}[A-Za-z0-9]{35})", 3.5, WORD, 92),
                of("octopus-deploy-api-key", "api-", "(API-[A-Z0-9]{26})", 3.0, STRICT, 85).withMinLength(30),
                of("perplexity-api-key", "pplx-", "(pplx-[A-Za-z0-9]{48})", 3.0, WORD, 94),
                of("sourcegraph-token", "sgp_", "(sgp_(?:[a-fA-F0-9]{16}|local)_[a-fA-F0-9]{40}|sgp_[a-fA-F0-9]{40})", 3.0, WORD, 92),
                // detect-secrets softlayer plugin: the API key as the last path segment of the SOAP endpoint
                of("softlayer-api-key", "api.softlayer.com",
                        "(?i)https?://api\\.softlayer\\.com/soap/(?:v3|v3\\.1)/([a-z0-9]{64})", 2.5, WORD, 85),
                // gitleaks cisco-meraki-api-key: 40 lower-case hex chars assigned to a Meraki-named key
                of("cisco-meraki-api-key", "meraki",
                        "(?:[Mm]eraki|MERAKI)[\\w.-]{0,30}[\"'`]?\\s{0,3}(?:=|:|:=|=>)\\s{0,3}[\"'`]?([0-9a-f]{40})", 3.0, WORD, 80)
                        .inContext().withReach(100).ownsName("meraki"),
                of("sourcegraph-token", "sourcegraph", "(?i)sourcegraph[^\\n]{0,20}?\\b([a-f0-9]{40})\\b", 3.0, WORD, 80)
                        .inContext(),
                of("grafana-token", "glc_,glsa_", "(glc_[A-Za-z0-9+/]{32,400}={0,2}|glsa_[A-Za-z0-9]{32}_[A-Fa-f0-9]{8})", 3.5, WORD, 92),
                of("databricks-token", "dapi", "(dapi[a-f0-9]{32}(?:-[0-9])?)", 3.0, WORD, 90),
                of("digitalocean-token", "dop_v1_,doo_v1_,dor_v1_", "(do[opr]_v1_[a-f0-9]{64})", 3.0, WORD, 94),
                of("shopify-token", "shpat_,shpca_,shppa_,shpss_", "(shp(?:at|ca|pa|ss)_[a-fA-F0-9]{32})", 3.0, WORD, 94),
                of("postman-api-key", "pmak-", "(PMAK-[a-f0-9]{24}-[a-f0-9]{34})", 3.0, WORD, 94),
                of("linear-api-key", "lin_api_", "(lin_api_[A-Za-z0-9]{40})", 3.0, WORD, 94),
                of("flyio-token", "fo1_,fm1r_,fm2_", "((?:fo1_[A-Za-z0-9_-]{43}|fm[12][ar]?_[A-Za-z0-9+/]{100,}={0,3}))", 3.5, WORD, 90),
                of("infracost-api-token", "ico-", "(ico-[A-Za-z0-9]{32})", 3.0, STRICT, 85),
                of("readme-api-token", "rdme_", "(rdme_[a-z0-9]{70})", 3.0, WORD, 90),
                of("pulumi-api-token", "pul-", "(pul-[a-f0-9]{40})", 3.0, STRICT, 90),
                of("prefect-api-token", "pnu_", "(pnu_[A-Za-z0-9]{36})", 3.0, WORD, 90),
                of("doppler-token", "dp.pt.", "(dp\\.pt\\.[A-Za-z0-9]{43})", 3.0, WORD, 94),
                of("dynatrace-token", "dt0c01.", "(dt0c01\\.[A-Z0-9]{24}\\.[A-Z0-9]{64})", 3.0, WORD, 94),
                of("square-token", "eaaa,sq0atp-,sq0csp-", "(EAAA[A-Za-z0-9_-]{60}|sq0(?:atp|csp)-[0-9A-Za-z_-]{22,43})", 3.0, WORD, 90),
                of("heroku-api-key", "hrku-", "(HRKU-AA[0-9A-Za-z_-]{58})", 3.0, WORD, 92),
                of("clojars-token", "clojars_", "(CLOJARS_[a-z0-9]{60})", 3.0, WORD, 92),
                of("artifactory-api-key", "akc", "(AKC[A-Za-z0-9]{10,})", 3.0, WORD, 70),
                of("jfrog-reference-token", "cmvmdg", "(cmVmdG[A-Za-z0-9]{58})", 3.0, WORD, 85),
                of("bedrock-api-key", "absk,bedrock-api-key-", "(ABSK[A-Za-z0-9+/]{109,269}={0,2}|bedrock-api-key-YmVkcm9jay5hbWF6b25hd3MuY29t[A-Za-z0-9+/=]*)", 0, WORD, 90),
                // The formats below follow the provider's gitleaks rule or trufflehog detector, named per group; a format
                // confirmed elsewhere says where. AI providers: Groq, LangSmith (gitleaks); xAI, Replicate, Tavily,
                // OpenRouter (trufflehog)
                of("groq-api-key", "gsk_", "(gsk_[A-Za-z0-9]{48})", 3.0, WORD, 94),
                of("xai-api-key", "xai-", "(xai-[A-Za-z0-9_]{80})", 3.5, WORD, 94),
                of("replicate-api-token", "r8_", "(r8_[A-Za-z0-9_-]{37})", 3.0, STRICT, 92),
                // LangSmith: lsv2_pt_ (personal access token) or lsv2_sk_ (service key), hex body, _ and a hex checksum
                of("langsmith-api-key", "lsv2_pt_,lsv2_sk_", "(lsv2_(?:pt|sk)_[a-f0-9]{32}_[a-f0-9]{10})", 3.0, WORD, 94),
                of("tavily-api-key", "tvly-", "(tvly-(?:dev-|prod-)?[A-Za-z0-9]{20,40})", 3.0, WORD, 92),
                of("openrouter-api-key", "sk-or-v1-", "(sk-or-v1-[a-f0-9]{64})", 3.0, WORD, 94),
                // Cloud, CI and developer platforms: Supabase, Netlify, Docker Hub, Buildkite, Tailscale, Figma
                // (trufflehog); PlanetScale, RubyGems, Typeform, Terraform Cloud, Harness, Scalingo, Frame.io, Adobe (gitleaks)
                of("supabase-token", "sbp_", "(sbp_[a-z0-9]{40})", 3.0, WORD, 94),
                of("netlify-token", "nfp_", "(nfp_[A-Za-z0-9_]{36})", 3.0, WORD, 92),
                of("dockerhub-token", "dckr_pat_,dckr_oat_", "(dckr_(?:pat|oat)_[A-Za-z0-9_-]{27,32})", 3.0, WORD, 94),
                of("planetscale-token", "pscale_tkn_,pscale_pw_,pscale_oauth_", "(pscale_(?:tkn|pw|oauth)_[A-Za-z0-9_]{32,64})", 3.0, WORD, 94),
                of("buildkite-token", "bkua_", "(bkua_[a-z0-9]{40})", 3.0, WORD, 94),
                of("rubygems-api-token", "rubygems_", "(rubygems_[a-f0-9]{48})", 3.0, WORD, 94),
                // Tailscale: tskey-<kind>-<key id>-<secret> (auth, api, client… keys)
                of("tailscale-key", "tskey-", "(tskey-[a-z]+-[0-9A-Za-z_]+-[0-9A-Za-z_]{16,})", 3.0, WORD, 94).withMinLength(30),
                of("figma-token", "figd_", "(figd_[A-Za-z0-9_-]{40})", 3.0, STRICT, 92),
                of("typeform-token", "tfp_", "(tfp_[A-Za-z0-9_.=-]{59})", 3.0, STRICT, 90),
                of("hashicorp-tf-api-token", "atlasv1", "([A-Za-z0-9]{14}\\.atlasv1\\.[A-Za-z0-9_=-]{60,70})", 3.5, WORD, 94),
                of("harness-api-key", "pat.,sat.", "((?:pat|sat)\\.[A-Za-z0-9_-]{22}\\.[A-Za-z0-9]{24}\\.[A-Za-z0-9]{20})", 3.0, WORD, 92)
                        .withMinLength(72),
                of("scalingo-api-token", "tk-us-", "(tk-us-[A-Za-z0-9_-]{48})", 3.0, STRICT, 90),
                of("frameio-api-token", "fio-u-", "(fio-u-[A-Za-z0-9_=-]{64})", 3.0, STRICT, 90),
                of("adobe-client-secret", "p8e-", "(p8e-[A-Za-z0-9]{32})", 3.0, WORD, 88),
                // Google OAuth client secret (client_secret.json, issued since 2021): GOCSPX- then 28 chars, as in every
                // published sample; no gitleaks or trufflehog rule
                of("google-oauth-client-secret", "gocspx-", "(GOCSPX-[A-Za-z0-9_-]{28})", 3.0, STRICT, 92),
                // Alibaba Cloud AccessKey ID: LTAI then 20 chars (gitleaks), 12 in older keys
                of("alibaba-access-key-id", "ltai", "(LTAI(?:[A-Za-z0-9]{20}|[A-Za-z0-9]{12}))", 3.0, WORD, 88).withMinLength(16),
                // Mapbox secret token (trufflehog): sk. then the base64url JSON {"u":"<user>",…}, a dot, a 22-char signature
                of("mapbox-secret-token", "sk.eyj1ijoi", "(sk\\.eyJ1Ijoi[A-Za-z0-9_-]{20,300}\\.[A-Za-z0-9_-]{22})", 3.0, WORD, 92),
                // New Relic (gitleaks): NRAK- user key, NRII- insert key, NRJS- browser key
                of("new-relic-key", "nrak-,nrii-,nrjs-", "(NRAK-[A-Z0-9]{27}|NRII-[A-Za-z0-9_-]{32}|NRJS-[a-f0-9]{19})", 3.0, STRICT, 90),
                // Payments, mail and shipping: Shippo, EasyPost, Duffel, Brevo (gitleaks). Webhook signing secrets start
                // with whsec_ (Stripe docs, webhooks/best-practices#endpoint-secrets; Svix's keys too), then base64 chars
                of("webhook-signing-secret", "whsec_", "(whsec_[A-Za-z0-9+/]{32,88}={0,2})", 3.0, WORD, 92),
                of("shippo-api-token", "shippo_live_,shippo_test_", "(shippo_(?:live|test)_[a-fA-F0-9]{40})", 3.0, WORD, 94),
                of("easypost-api-token", "ezak,eztk", "((?:EZAK|EZTK)[A-Za-z0-9]{54})", 3.0, WORD, 90),
                of("duffel-api-token", "duffel_test_,duffel_live_", "(duffel_(?:test|live)_[A-Za-z0-9_=-]{43})", 3.0, STRICT, 92),
                // Brevo (Sendinblue): xkeysib- API keys and xsmtpsib- SMTP keys, 64 hex, a dash, 16 alphanumerics
                of("sendinblue-api-key", "xkeysib-,xsmtpsib-", "((?:xkeysib|xsmtpsib)-[a-f0-9]{64}-[A-Za-z0-9]{16})", 3.0, WORD, 94),
                // Airtable personal access token (trufflehog): pat + 14 alphanumerics, a dot, 64 hex. The keyword is short
                // and frequent (path, pattern): only tokens of 82+ chars with a dot reach the pattern
                of("airtable-pat", "pat", "(pat[A-Za-z0-9]{14}\\.[a-f0-9]{64})", 3.0, WORD, 92).withMinLength(82).withRequired('.'),
                // X (Twitter) app-only bearer token: 21 A's then the rest, URL-encoded (%2B, %3D), as in the sample of X's
                // bearer-token docs; gitleaks' twitter-bearer-token wants 22 A's and misses that sample
                of("twitter-bearer-token", "aaaaaaaaaaaaaaaaaaaaa", "(A{21}[A-Za-z0-9%]{80,110})", 3.5, STRICT, 85).withMinLength(101),
                // Incoming webhook URLs, the URL being the credential: Discord (trufflehog), Microsoft Teams (gitleaks)
                of("discord-webhook-url", "discord.com/api/webhooks/,discordapp.com/api/webhooks/",
                        "((?:https?://)?(?:(?:ptb|canary)\\.)?discord(?:app)?\\.com/api/webhooks/[0-9]{17,20}/[A-Za-z0-9_-]{68})", 3.0, WORD, 92),
                of("microsoft-teams-webhook-url", "webhook.office.com",
                        "(https://[A-Za-z0-9-]+\\.webhook\\.office\\.com/webhookb2/[0-9a-fA-F-]{36}@[0-9a-fA-F-]{36}/IncomingWebhook/[0-9a-fA-F]{32}/[0-9a-fA-F-]{36}(?:/[A-Za-z0-9_-]+)?)",
                        3.0, NONE, 92),
                of("private-key", "private key", "(-----BEGIN[ A-Z0-9_-]{0,100}PRIVATE KEY(?: BLOCK)?-----[\\s\\S]{40,}?-----END[ A-Z0-9_-]{0,100}PRIVATE KEY(?: BLOCK)?-----)", 0, NONE, 98)
                        .withReach(16384).inContext(),
                of("basic-auth-url", "://",
                        // the user may be empty: redis://:password@host (Redis and AMQP before ACLs have no user)
                        "[A-Za-z][A-Za-z0-9+.-]{1,20}://[^\\s:/@\"'<>]{0,100}:([^\\s/@\"'<>]{3,200})@[A-Za-z0-9.-]+", 0, NONE, 85)
                        .withMinLength(10).withRequired('@'),
                // Go's database/sql DSN (go-sql-driver/mysql): user:password@tcp(host:port)/db, no scheme before it
                of("basic-auth-url", "@tcp(,@unix(",
                        "[A-Za-z0-9_.-]{1,64}:([^\\s:/@\"'<>]{3,200})@(?:tcp|unix)\\(", 0, NONE, 85).withReach(256).inContext(),
                of("curl-auth-user", "-u,--user",
                        "(?:\\s|^)(?:-u|--user)\\s+[\"']?([^\\s\"']{0,200}[\"']?:[\"']?[^\\s\"']{0,200})[\"']?", 0, NONE, 80)
                        .inContext(),
                of("jwt", "eyj", "(eyJ[A-Za-z0-9_-]{10,}\\.eyJ[A-Za-z0-9_-]{10,}(?:\\.[A-Za-z0-9_-]{10,})?)", 3.0, WORD, 85).withMinLength(27));
    }
}
