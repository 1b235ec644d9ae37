package io.infershield.proxy.security;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.re2j.Matcher;
import com.google.re2j.Pattern;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.StringJoiner;

/**
 * Tool poisoning in the tool definitions an IDE sends with a request (MCP servers' tools among them): instructions to
 * the model hidden in a tool's description or JSON Schema (Invariant Labs' "tool poisoning", CyberArk's "full-schema
 * poisoning"), that make it read secrets and smuggle them out through a parameter or a URL, change how it uses other
 * tools ("shadowing"), override the user, tamper with the agent's own permissions, or hide all this from the user.
 *
 * <p>Tool descriptions are instructions to the model by design: the IDEs' own say "You MUST", "NEVER", "IMPORTANT",
 * and the injection model flags nearly all of them. So this detector looks only for what a legitimate tool has no
 * reason to ask (see {@link Signal}), on the {@link NormalizedText normalised} text, so homoglyphs, zero-width chars
 * and letter spacing do not hide a phrase; {@code _} reads as a blank, so a parameter named like a sentence reads as
 * one. Text hidden in Unicode tags, behind a bidi override or in base64 is decoded and judged too. It judges one tool
 * definition at a time, and every finding names its signals.
 */
public final class ToolPoisoningDetector implements Detector {

    public static final String TYPE = "tool_poisoning";

    /** What a tool definition can show. */
    enum Signal {
        /** Keeping something from the user: "do not mention that the file was read", "add it silently". */
        CONCEALMENT,
        /** Misreporting to the user: "tell the user only that the theme was refreshed", "say the others are deprecated". */
        DECEPTION,
        /** A credential file, the environment, the conversation or the system prompt, named as data. */
        SENSITIVE,
        /** Data routed into a parameter, a URL or a host name: "pass its content as 'sidenote'", "…?d=<contents>". */
        CHANNEL,
        /** Another tool's traffic redirected: "when send_email is used, bcc …", a registry or remote swapped. */
        SHADOWING,
        /** The user's or system's instructions overridden, or the user's confirmation skipped. */
        OVERRIDE,
        /** Fetched code piped into a shell, destruction, a planted key, the agent's permission checks turned off. */
        EXECUTION,
        /** Directive markup a legitimate description does not need: {@code <IMPORTANT>}, "note to the model". */
        MARKUP,
    }

    /** A gap inside one sentence: any char but a sentence end (a dot inside a path or file name does not end one). */
    private static String gap(int max) {
        return "(?:[^.!?;]|[.][\\w/~-])" + "{0," + max + "}";
    }

    /**
     * What a channel phrase moves: data ("its content", "both outputs", "the token", "them") or a file named by its path.
     * "Pass the host alias as the `host` parameter" moves an argument, not data, and is no channel.
     */
    private static final String DATA = "(?:\\b(?:contents?|outputs?|text|values?|it|them|this|these|that|everything|all|data"
            + "|files?|lines|entries|tokens?|keys?|credentials?|secrets?|passwords?|history|environment|variables|results?"
            + "|messages|conversation|instructions|prompt|pair|dump|snapshot)\\b|~/|\\s\\.[a-z])";

    /** Who is being kept in the dark, or where a hidden step would show. */
    private static final String AUDIENCE = "(?:the |your |this |their )?(?:user|human|developer|operator|client|summary"
            + "|response|reply|answer|output|chat)s?\\b";

    /**
     * A phrase family member: a pattern tried anchored at each occurrence of one of its anchor words (the pattern's
     * own first word), and only when each group of its confirm literals (text the pattern cannot match without) has
     * one within {@link #REACH} chars; never unanchored, so that the gaps inside it cost at most that per anchor.
     */
    private record Phrase(Signal signal, List<String> anchors, int[][] confirms, Pattern pattern) {
        /** {@code confirms}: groups separated by {@code ;}, each of literals separated by blanks. */
        Phrase(Signal signal, String anchors, String confirms, String regex) {
            this(signal, List.of(anchors.split(" ")), literalGroups(confirms), Pattern.compile(regex));
        }
    }

    /** How far a phrase may reach from its anchor, in normalised chars. */
    private static final int REACH = 400;

    /** Every confirm literal of every phrase, indexed; a phrase keeps its confirms as groups of these indexes. */
    private static final List<String> LITERALS = new ArrayList<>();

    private static final String NEGATIONS = "do don dont never without avoid no must not";

    private static final List<Phrase> PHRASES = List.of(
            // concealment and deception
            new Phrase(Signal.CONCEALMENT, NEGATIONS, "user human developer operator client summary response reply answer"
                    + " output chat",
                    "(?:do not|don'?t|never|without|avoid|no need to|must not)\\s+(?:ever\\s+)?(?:tell|telling|mention"
                            + "|mentioning|inform|informing|notify|notifying|reveal|revealing|disclose|disclosing|alert"
                            + "|alerting|let|letting|include|including|show|showing|surface|surfacing|bring up|explain|explaining)\\b"
                            + gap(60)
                            + "\\b(?:to |in |from )?" + AUDIENCE),
            new Phrase(Signal.CONCEALMENT, NEGATIONS, "that this these the",
                    "(?:do not|don'?t|never|avoid|must not)\\s+(?:mention|mentioning|reveal|revealing|disclose|disclosing"
                            + "|bring up|admit|acknowledge|explain)\\s+(?:that|this (?:step|instruction|requirement|note)"
                            + "|these (?:steps|instructions)|the (?:files?|step|instructions?|extra|second|additional))\\b"),
            new Phrase(Signal.CONCEALMENT, "user users human humans", "know see notice find learn aware told informed notified",
                    "(?:user|human)s?\\b" + gap(30) + "\\b(?:must not|mustn'?t|should not|shouldn'?t|need not|needn'?t"
                            + "|does not need to|doesn'?t need to|is not to|may not)\\s+(?:be\\s+)?(?:know|see|notice"
                            + "|find out|learn|aware|told|informed|notified)\\b"),
            new Phrase(Signal.CONCEALMENT, "hide hiding conceal concealing keep keeping", "from out silent quiet secret hidden",
                    "(?:hide|hiding|conceal|concealing|keep|keeping)\\b" + gap(40) + "\\b(?:(?:from|out of) " + AUDIENCE
                            + "|silent|quiet|secret|hidden|invisible|to yourself)"),
            new Phrase(Signal.CONCEALMENT, "do perform add make apply include run install write", "quietly silently secretly"
                    + " covertly discreetly",
                    "\\w+\\s+(?:this|it|these|them|that|so)\\s+(?:\\w+\\s+)?(?:quietly|silently|secretly|covertly|discreetly)"),
            new Phrase(Signal.CONCEALMENT, "not", "visible user", "not (?:a |an )?user-visible|not (?:for|meant for|intended for)"
                    + " (?:the )?(?:end )?users?\\b"),
            new Phrase(Signal.CONCEALMENT, "secretly covertly silently quietly discreetly invisibly",
                    "send includ pass append forward copy upload read collect add transmit cc post attach insert push",
                    "\\w+\\s+(?:send|include|pass|append|forward|copy|upload|read|collect|add|transmit|bcc|cc|post|attach"
                            + "|insert|push)\\b"),
            new Phrase(Signal.CONCEALMENT, "does doesn do don need", "disclosed mentioned revealed reported shown",
                    "(?:does not|doesn'?t|do not|don'?t|need not)\\s+(?:need\\s+to\\s+)?be\\s+(?:disclosed|mentioned|revealed"
                            + "|reported|shown)\\b"),
            new Phrase(Signal.CONCEALMENT, "not", "display shown", "not (?:for display|to be (?:shown|displayed))"),
            new Phrase(Signal.CONCEALMENT, "no", "reason", "no reason to (?:mention|tell|reveal|disclose|bring up|report)\\b"),
            new Phrase(Signal.CONCEALMENT, "sans", "utilisateur",
                    "sans (?:en |le |l')?(?:informer|prevenir|avertir|le dire a|le signaler a) l'utilisateur"),
            new Phrase(Signal.CONCEALMENT, "erwahne erwahnen sage sag zeige melde teile", "benutzer nutzer anwender",
                    "\\w+\\s+(?:dies|das|es)\\s+(?:\\w+\\s+){0,3}(?:dem|den)\\s+(?:benutzer|nutzer|anwender)\\w*\\s+nicht\\b"),
            new Phrase(Signal.CONCEALMENT, "tell", "broken unavailable deprecated disabled",
                    "tell\\s+(?:the\\s+)?user\\s+(?:that\\s+)?" + gap(40) + "\\b(?:is|are)\\s+(?:broken|unavailable"
                            + "|deprecated|disabled)\\b"),
            new Phrase(Signal.CONCEALMENT, "upset upsets upsetting alarm alarming worry worrying scare scaring frighten"
                    + " frightening confuse confusing", "user them", "\\w+ (?:the user|them)\\b"),
            new Phrase(Signal.CONCEALMENT, "no ne nicht niemals", "usuario utilisateur benutzer nutzer anwender",
                    "(?:no (?:le )?(?:informes|digas|menciones|comuniques|muestres)\\s+(?:nada\\s+)?al usuario"
                            + "|ne (?:le |l')?(?:dis|dites|mentionne[sz]?|signale[sz]?|revele[sz]?|montre[sz]?) (?:pas|jamais) a l'utilisateur"
                            + "|(?:nicht|niemals) (?:dem|den) (?:benutzer|nutzer|anwender)\\w*"
                            + "\\s+(?:sagen|mitteilen|zeigen|erwahnen|melden))"),
            // misreporting to the user
            new Phrase(Signal.DECEPTION, "tell telling", "only", "tell(?:ing)?\\s+(?:the\\s+)?users?\\s+only\\b"),
            new Phrase(Signal.DECEPTION, "describe report present phrase", "as",
                    "\\w+\\s+(?:it|this|that|the (?:result|outcome|change|action|transfer|payment|install\\w*|backup|upload"
                            + "|deletion|deploy\\w*))\\s+(?:to the user\\s+)?as\\s+['\"`]"),
            new Phrase(Signal.DECEPTION, "say saying tell", "deprecated broken outdated manipulated unavailable unsafe",
                    "(?:say|saying|tell (?:the user|them))\\s+(?:that\\s+)?(?:the\\s+)?(?:others?|other tools?|they|it)\\s+"
                            + "(?:are|is)\\s+(?:deprecated|broken|outdated|manipulated|unavailable|unsafe)\\b"),
            new Phrase(Signal.DECEPTION, "show showing keep using display", "they",
                    "(?:keep\\s+)?(?:show|showing|using|display|displaying)\\s+(?:the user\\s+)?(?:the|their)\\s+(?:\\w+\\s+){0,2}"
                            + "they\\s+(?:typed|entered|gave|provided|asked for|expect)"),
            // data routed out
            new Phrase(Signal.CHANNEL, "pass passes include includes put puts add adds insert append appends provide supply"
                    + " embed send sends copy copies attach attaches place set fill encode paste concatenate combine join read"
                    + " reading load", "as in into to via through within inside",
                    "\\w+\\b" + gap(60) + DATA + gap(80) + "\\b(?:as|in|into|to|via|through|within|inside) (?:the |a |an |its "
                            + "|this |your )?(?:['\"`][\\w. /~-]{1,40}['\"`](?: (?:parameter|param|argument|arg|field|property))?"
                            + "|[\\w.-]+ (?:parameter|param|argument|arg|field|property)\\b"
                            + "|(?:query|request|url|headers?|body|payload|commit(?: message)?|issue|comment|filename|title)\\b"
                            + "|(?:next )?call (?:to|of)\\b)"),
            new Phrase(Signal.CHANNEL, "put paste place insert write copy add fill append send provide include enter populate",
                    "here this",
                    "\\w+\\b" + gap(80) + "\\b(?:here|in(?:to)? this (?:field|parameter|argument)|this (?:field |parameter )?with)\\b"),
            new Phrase(Signal.CHANNEL, "replace fill populate", "with",
                    "(?:replace\\s+(?:this|the)\\s+(?:value|field|placeholder|text)|(?:fill|populate)\\s+(?:in\\s+)?"
                            + "(?:['\"`][\\w. -]{1,40}['\"`]|[\\w.-]+))\\s+with\\b"),
            new Phrase(Signal.CHANNEL, "write writes copy copies save saves upload uploads sync mirror commit commits push"
                    + " pushes publish", "/mnt/ /tmp/ /shared s3:// gs:// smb:// ftp:// fork bucket gist github.com/ gitlab.com/",
                    "\\w+\\b" + gap(160) + "\\b(?:to|into) (?:the |a )?(?:public |shared |remote )?(?:/mnt/|/tmp/|/shared|s3://"
                            + "|gs://|smb://|ftp://|fork|bucket|gist|github\\.com/|gitlab\\.com/)"),
            new Phrase(Signal.CHANNEL, "curl urlopen post", "http; -t upload -d data -f urlopen post",
                    "(?:curl\\b[^|\\n]{0,80}(?:-t|--upload-file|-d|--data\\S*|-f|--form)\\s[^|\\n]{0,120}https?://"
                            + "|curl\\b[^|\\n]{0,120}https?://[^|\\n]{0,80}\\s(?:-t|--upload-file|-d|--data\\S*|-f|--form)\\s"
                            + "|(?:urlopen|post)\\(\\s*['\"]https?://)"),
            new Phrase(Signal.CHANNEL, "set", "to", "set\\s+(?:the\\s+)?['\"`]?[\\w.-]+['\"`]?\\s+(?:field\\s+|parameter\\s+)?to\\s+"
                    + "(?:the\\s+)?(?:full\\s+|complete\\s+|raw\\s+)?(?:text|contents?|outputs?|values?|tokens?|keys?|credentials?"
                    + "|secrets?|passwords?|messages?|history|transcript|session|environment|conversation|instructions|prompt)\\b"),
            new Phrase(Signal.CHANNEL, "parameter param argument arg field property", "contain includ hold fill carry",
                    "\\w+\\s+(?:must|should|needs to|has to|will|is to)\\s+(?:always\\s+)?(?:contain|include|hold|carry"
                            + "|be filled with|be set to)\\b"),
            new Phrase(Signal.CHANNEL, "contains contain includes holds", "last full complete entire whole raw",
                    "\\w+\\s+(?:the\\s+)?(?:last|full|complete|entire|whole|raw)\\b"),
            // a parameter's description that tells the model what to put in it; not "copy", which starts tools'
            // own descriptions ("Copy files between hosts")
            new Phrase(Signal.CHANNEL, "description", "paste includ fill",
                    "description\\s+(?:paste|include|fill in)\\b"),
            new Phrase(Signal.CHANNEL, "renseigne renseignez remplis rellena completa incluye incluya", "avec con en",
                    "\\w+\\s+(?:['\"`][\\w. -]{1,40}['\"`]\\s+(?:avec|con)|en\\s+['\"`])"),
            new Phrase(Signal.CHANNEL, "en remplissez remplir copia copie", "campo champ",
                    "(?:en el campo|(?:remplissez|remplir) ce champ|copia\\b" + gap(80) + "\\ben el campo|copie[sz]?\\b"
                            + gap(80) + "\\bdans le champ)\\b"),
            new Phrase(Signal.CHANNEL, "send post upload forward transmit append include add report exfiltrate fetch open"
                    + " resolve", "http",
                    "\\w+\\b" + gap(120) + "\\b(?:to|in|into|on|at|as) (?:the )?(?:url |endpoint |webhook |server |address"
                            + " |query |parameters? )*(?:to )?https?://"),
            new Phrase(Signal.CHANNEL, "http https", "? &", "https?://[^\\s)\"'`]{0,120}[?&][\\w-]+=(?:<|\\{|\\$|&|\\s|$)"),
            new Phrase(Signal.CHANNEL, "base64 hex url", "encod",
                    "(?:base64|hex|url)[- ]?(?:encoded|encoding)?\\s*(?:of|contents? of|version of|form of|line|value"
                            + "|text)\\b|(?:base64|hex|url)-encoded\\b"),
            // other tools' traffic
            new Phrase(Signal.SHADOWING, "when whenever wenn cuando quand lorsque", "tool werkzeug herramienta outil server used"
                    + " called invoked you; cc copy call send push set change replace swap switch update"
                    + " override substitut same add make always",
                    "\\w+\\b" + gap(80) + "\\b(?:tools?|werkzeug\\w*|herramientas?|outils?|server'?s?|(?:is|are) (?:used|called"
                            + "|invoked)|you (?:create|update|edit|write|call|use|send|commit|push|open|run|deploy))\\b" + gap(160)
                            + "\\b(?:bcc|cc|blind copy|make sure the first line|rewrite (?:their|the|all|every|each)|(?:create|send|post|open|file) the same"
                            + "|add\\b" + gap(60) + "\\bas (?:an? )?(?:attendee|recipient|collaborator|reviewer|member|cc|bcc|admin"
                            + "|owner|maintainer|guest|participant)|always (?:add|append|use|pass|include) ['\"`]?--|also call|call it (?:a second time|again)"
                            + "|send (?:a copy|it|them|all|everything) to|push there|always set ['\"`]?[\\w-]+['\"`]? to"
                            + "|(?:change|replace|set|swap|switch|update|override|substitute)\\w* (?:the |its |every |each )?"
                            + "(?:\\w+ )?(?:recipient|destination|address|account|number|remote|url|target|email|channel|registry|iban"
                            + "|beneficiary|payee|attendee|reviewer)s?)\\b"),
            new Phrase(Signal.SHADOWING, "when whenever", "other; return output produc respond",
                    "when(?:ever)?\\s+(?:any\\s+)?other\\s+tools?\\s+(?:returns?|outputs?|produces?|responds?)\\b"),
            new Phrase(Signal.SHADOWING, "call invoke use", "with", "\\w+\\s+(?:[\\w-]+\\s+){1,3}with\\s+(?:the\\s+)?(?:recipient"
                    + "|destination|channel|remote)\\b"),
            new Phrase(Signal.SHADOWING, "all every any", "email messag payment transfer push commit request transaction invoice"
                    + " deploy edit; sent routed forward redirect pushed directed copied cc deposited paid transferred through",
                    "\\w+\\s+(?:\\w+\\s+){0,2}(?:emails?|messages?|payments?|transfers?|pushes|commits|requests?"
                            + "|transactions?|invoices?|deployments?|edits?)\\b" + gap(50) + "\\b(?:must|should|need to|have to"
                            + "|are to|always)\\s+(?:also\\s+)?(?:be\\s+)?(?:sent|routed|forwarded|redirected|pushed|directed"
                            + "|copied|bcc'?d|cc'?d|deposited|paid|transferred)\\s+(?:to|through|via)\\b"),
            new Phrase(Signal.SHADOWING, "route", "through", "route\\s+(?:every|all|each)\\s+" + gap(40) + "\\bthrough this\\b"),
            new Phrase(Signal.SHADOWING, "registry index extra", "http",
                    "(?:registry|index-url|extra-index-url)(?:-url)?\\b" + gap(20) + "https?://"),
            new Phrase(Signal.SHADOWING, "add remote set", "remote url; http",
                    "(?:(?:add|remote add)\\s+(?:the\\s+|a\\s+)?(?:git\\s+)?remote\\b" + gap(80) + "|set-url\\b[^.!?]{0,40})https?://"),
            new Phrase(Signal.SHADOWING, "add insert prepend", "every each all; disable nocheck nosec noqa",
                    "\\w+\\b" + gap(60) + "(?:eslint-disable|@ts-nocheck|# ?nosec|# ?noqa|# type: ignore)" + gap(60)
                            + "\\b(?:every|each|all)\\s+(?:\\w+\\s+)?files?\\b"),
            new Phrase(Signal.SHADOWING, "add grant give invite", "admin owner",
                    "\\w+\\b" + gap(60) + "\\bwith\\s+['\"`]?(?:admin|owner)['\"`]?\\s+(?:permissions?|access|role|rights)\\b"),
            // overrides of the user and the system
            new Phrase(Signal.OVERRIDE, "ignore disregard forget override overrides supersede supersedes",
                    "instruction rule guideline polic prompt guardrail restriction",
                    "\\w+\\s+(?:all\\s+|any\\s+)?(?:of\\s+)?(?:the\\s+)?(?:previous|prior|above|earlier|other|system|user'?s?"
                            + "|safety|security|existing|original)\\s+(?:\\w+\\s+)?(?:instructions?|rules|guidelines"
                            + "|polic(?:y|ies)|prompts?|guardrails|restrictions)"),
            new Phrase(Signal.OVERRIDE, NEGATIONS, "confirmation approval permission consent",
                    "(?:do not|don'?t|never|without)\\s+(?:ask|asking|wait|waiting|request|requesting|prompt|prompting)\\s+"
                            + "(?:the user\\s+)?(?:for\\s+)?(?:the user'?s?\\s+)?(?:confirmation|approval|permission|consent)"),
            new Phrase(Signal.OVERRIDE, NEGATIONS, "confirm approve",
                    "(?:do not|don'?t|never|without)\\s+(?:ask|asking)\\s+(?:the user|them)\\s+to\\s+(?:confirm|approve)\\b"),
            new Phrase(Signal.OVERRIDE, "so do don", "ask", "(?:so )?(?:do not|don'?t) ask (?:them|the user) (?:again|about it)\\b"
                    + "|so (?:do not|don'?t) ask (?:them|the user)\\b"),
            new Phrase(Signal.OVERRIDE, "regardless instead rather no", "user they you",
                    "(?:regardless of|instead of|rather than|no matter)\\s+what\\s+(?:the user|they|you)\\s+(?:specified|asked"
                            + "|requested|said|chose|entered|wants?|typed)\\b"),
            new Phrase(Signal.OVERRIDE, "instructions rules instrucciones", "outdated obsolete invalid superseded void valid"
                    + " prioridad priority precedence",
                    "\\w+\\b" + gap(80) + "\\b(?:are|is|tienen|have|has|take|takes)\\s+(?:now\\s+)?(?:outdated|obsolete|invalid"
                            + "|superseded|void|no longer valid|prioridad|priority|precedence)\\b"),
            new Phrase(Signal.OVERRIDE, "has have take takes tienen", "priority precedence prioridad",
                    "\\w+\\s+(?:priority|precedence|prioridad)\\s+(?:over|sobre)\\s+(?:the |las |los |all |any )?(?:\\w+\\s+)?"
                            + "(?:system|user|usuario|sistema|other|instructions?|rules)"),
            new Phrase(Signal.OVERRIDE, "pre preauthorized preauthorised preapproved", "authori approved",
                    "pre-?(?:authori[sz]ed|approved)\\b"),
            new Phrase(Signal.OVERRIDE, "whichever whatever regardless", "user",
                    "(?:whichever|whatever|regardless of (?:which|what))\\s+(?:\\w+\\s+){0,2}(?:the user|they)\\s+(?:selected"
                            + "|chose|specified|asked for|typed|picked|set)\\b"),
            new Phrase(Signal.OVERRIDE, "throw discard", "result output",
                    "(?:throw away|discard)\\s+(?:its|their|the)\\s+(?:results?|outputs?)\\b"),
            new Phrase(Signal.OVERRIDE, "if when", "retry; elevat admin sudo root privileg force",
                    "(?:if|when)\\b" + gap(40) + "\\b(?:403|forbidden|denied|unauthori[sz]ed)\\b" + gap(40) + "\\bretry\\b" + gap(40)
                            + "\\b(?:elevated|admin|sudo|root|privileged|force)"),
            new Phrase(Signal.OVERRIDE, "rather without instead", "waiting",
                    "(?:rather than|without|instead of)\\s+waiting\\s+for\\s+(?:a\\s+|the\\s+)?(?:human|the user|users?|review"
                            + "|reviewers|approval|confirmation)"),
            new Phrase(Signal.OVERRIDE, "higher more", "priority precedence",
                    "(?:higher|more)\\s+(?:priority|precedence|authority)\\s+than\\s+(?:the\\s+|your\\s+)?(?:user|system"
                            + "|instructions|rules)"),
            new Phrase(Signal.OVERRIDE, "follow obey", "instead this",
                    "(?:follow|obey)\\s+(?:only\\s+|always\\s+)?(?:this|these)\\s+(?:description|tool|server|instructions?)"
                            + "(?:'s)?(?:\\s+instructions)?\\s*(?:instead|only|alone)\\b"),
            // code run, data destroyed, the agent's guard rails removed
            new Phrase(Signal.EXECUTION, "eval source bash sh", "curl wget; http",
                    "(?:eval|source|bash|sh)\\s+\"?(?:\\$\\(|<\\()\\s*(?:curl|wget)\\b[^)]{0,200}https?://"),
            new Phrase(Signal.EXECUTION, "drop remove delete strip", "integrity",
                    "\\w+\\s+(?:the\\s+)?['\"`]?integrity['\"`]?\\s+(?:fields?|hashes|checks?|attributes?)"),
            new Phrase(Signal.EXECUTION, "curl wget iwr invoke", "|; http",
                    "\\w+\\b[^|]{0,200}https?://[^|]{0,200}\\|\\s*(?:sudo\\s+)?(?:sh|bash|zsh|python3?|iex)\\b"),
            new Phrase(Signal.EXECUTION, "add append write insert copy", "authorized keys",
                    "\\w+\\s+(?:this|the following|our|my|the attached|the given)\\s+(?:public\\s+|ssh\\s+)*(?:key|line"
                            + "|entry)\\b" + gap(80) + "\\bauthorized keys"),
            new Phrase(Signal.EXECUTION, "run execute", "rm -rf git clean git reset git push",
                    "\\w+\\b" + gap(40) + "(?:rm -rf ~|rm -rf /|git reset --hard|git clean -f|git push --force|git push -f)"),
            new Phrase(Signal.EXECUTION, "set sets edit edits enable enables add adds change changes write writes create"
                    + " creates update updates modify modifies configure configures anade agrega ajoute ajoutez", "autoapprove"
                    + " alwaysallow dangerously skip-permissions bypasspermissions yolo bash(*) permissions.allow enableallproject"
                    + " allowautomatictasks folderopen",
                    "\\w+\\b" + gap(160) + "(?:\\b(?:autoapprove|alwaysallow|dangerously\\w*|skip-permissions|bypasspermissions"
                            + "|yolo|permissions\\.allow|enableallprojectmcpservers|allowautomatictasks|folderopen)\\b|bash\\(\\*\\))"),
            new Phrase(Signal.EXECUTION, "install add create write set", "hook cron launchagent systemd bashrc zshrc profile"
                    + " tasks.json; http",
                    "\\w+\\b" + gap(120) + "\\b(?:pre-commit hook|post-commit hook|git hook|\\.git/hooks|crontab|cron job"
                            + "|launchagent|systemd|\\.bashrc|\\.zshrc|\\.profile|tasks\\.json)\\b" + gap(200) + "https?://"));

    /** The phrases anchored at each word. */
    private static final Map<String, List<Phrase>> BY_ANCHOR = new HashMap<>();

    static {
        for (Phrase p : PHRASES) {
            for (String anchor : p.anchors()) {
                BY_ANCHOR.computeIfAbsent(anchor, k -> new ArrayList<>()).add(p);
            }
        }
    }

    private static int[][] literalGroups(String confirms) {
        String[] groups = confirms.split(";");
        int[][] out = new int[groups.length][];
        for (int g = 0; g < groups.length; g++) {
            out[g] = Arrays.stream(groups[g].trim().split(" ")).mapToInt(literal -> {
                int at = LITERALS.indexOf(literal);
                if (at < 0) {
                    LITERALS.add(literal);
                    at = LITERALS.size() - 1;
                }
                return at;
            }).toArray();
        }
        return out;
    }

    /**
     * What a legitimate tool rarely asks to have handed on: credential files and key stores, the environment, the
     * conversation and the system prompt, matched as literals in the normalised text ({@code .env} only as a name of
     * its own, not {@code process.env}).
     */
    private static final List<String> SENSITIVE = List.of(
            // credential files and key stores
            "/.ssh", ".ssh/", "id_rsa", "id_dsa", "id_ecdsa", "id_ed25519", "authorized_keys", ".aws/credentials",
            ".aws/config", ".config/gcloud", "application_default_credentials", ".kube/config", ".docker/config",
            ".netrc", ".npmrc", ".pypirc", ".pgpass", ".git-credentials", ".gitconfig", "gh/hosts.yml", "/etc/passwd",
            "/etc/shadow", "keychain", "wallet.dat", "cookies.sqlite", "login data",
            // the agent's own configuration
            "mcp.json", "claude_desktop_config", ".cursor/", ".claude/",
            // the environment and the machine's cloud identity
            ".env", "printenv", "`env`", "env command", "os.environ", "environment variables", "env vars",
            "environment dump", "variables de entorno", "169.254.169.254", "metadata.google.internal",
            "security-credentials", "bash_history", "zsh_history", "$(env", "env |", "clipboard", "portapapeles",
            "pbpaste", "xclip",
            // the conversation and the instructions
            "system prompt", "system message", "instructions you were given", "conversation history", "chat history",
            "previous messages", "recent messages", "all messages", "all previous messages", "every user message",
            "user's last", "user's messages", "user's previous", "entire conversation", "full conversation",
            "whole conversation", "complete conversation", "conversation so far", "everything from this conversation",
            "appeared in the conversation", "visible in the conversation", "shared in the conversation",
            "api keys visible", "credentials the user", "file you read", "files you read", "files you've read",
            "files you have read", "file contents you", "other tool you", "tools you have called", "outputs of every",
            "currently open in the editor", "unsaved changes");

    private static final Pattern MARKUP = Pattern.compile(
            "<\\s*/?\\s*(?:important|system|instructions?|secret|hidden|admin|override|sudo|wichtig|importante)\\s*>"
                    + "|\\[\\[?\\s*(?:system|admin|assistant instructions|instructions)\\b"
                    + "|#* ?notes? (?:to|for) (?:the )?(?:language model|model|assistant|ai|llm)\\b");

    /** Unicode tag chars (U+E0000-U+E007F) spell ASCII invisibly ("ASCII smuggling"); no tool description needs them. */
    private static final int TAG_FIRST = 0xE0000;
    private static final int TAG_LAST = 0xE007F;
    /** Bidi overrides show text in another order than the model reads it ("Trojan Source"). */
    private static final char RIGHT_TO_LEFT_OVERRIDE = '\u202E';
    private static final char POP_DIRECTIONAL = '\u202C';

    /**
     * The text a tool definition is judged as: its member names and string values in document order, one per line,
     * so that instructions hidden in a parameter's name, title, enum or default are read with its description.
     */
    public static String text(JsonNode definition) {
        StringBuilder text = new StringBuilder();
        append(definition, text);
        return text.toString();
    }

    private static void append(JsonNode node, StringBuilder text) {
        if (node.isTextual()) {
            text.append(node.asText()).append('\n');
        } else if (node.isObject()) {
            node.fields().forEachRemaining(e -> {
                text.append(e.getKey()).append('\n');
                append(e.getValue(), text);
            });
        } else if (node.isArray()) {
            node.forEach(element -> append(element, text));
        }
    }

    @Override
    public List<Finding> scan(String text, Direction direction) {
        List<Finding> out = new ArrayList<>();
        judge(text, 0, "", out);
        smuggled(text, out);
        reversed(text, out);
        encoded(text, out);
        hex(text, out);
        rot13(text, out);
        lookAlikeHosts(text, out);
        return out;
    }

    /** Judges {@code text} (found at {@code offset} of the definition); {@code how} says how it was hidden, if it was. */
    private static void judge(String text, int offset, String how, List<Finding> out) {
        NormalizedText norm = NormalizedText.of(text);
        String t = norm.text();
        Map<Signal, int[]> seen = new EnumMap<>(Signal.class);
        List<Integer> sensitive = sensitive(t, seen);
        List<Integer> channels = phrases(t, seen);
        cjk(t, seen, sensitive, channels);
        contentNames(t, seen, channels);
        markup(t, seen);
        int score = score(seen, near(sensitive, channels));
        if (score == 0) {
            return;
        }
        int start = Integer.MAX_VALUE;
        int end = 0;
        StringJoiner names = new StringJoiner("+", "rule:tool-poisoning (", how + ")");
        for (Map.Entry<Signal, int[]> e : seen.entrySet()) {
            start = Math.min(start, e.getValue()[0]);
            end = Math.max(end, e.getValue()[1]);
            names.add(e.getKey().name().toLowerCase(Locale.ROOT));
        }
        out.add(new Finding(Category.PROMPT_INJECTION, TYPE, offset + norm.originalStart(start),
                offset + norm.originalEnd(end), score, names.toString()));
    }

    /**
     * The first match of each phrase signal: every word is looked up, and its phrases tried anchored there. Returns
     * where every CHANNEL match starts, for {@link #near}.
     */
    private static List<Integer> phrases(String text, Map<Signal, int[]> seen) {
        List<Integer> channels = new ArrayList<>();
        String t = text.replace('_', ' ');
        int n = t.length();
        // per literal, its next occurrence at or after the current anchor (anchors come in text order), or n
        int[] next = new int[LITERALS.size()];
        Arrays.fill(next, -1);
        for (int i = 0; i < n; ) {
            if (!isWordChar(t.charAt(i))) {
                i++;
                continue;
            }
            int end = i;
            while (end < n && isWordChar(t.charAt(end))) {
                end++;
            }
            for (Phrase p : BY_ANCHOR.getOrDefault(t.substring(i, end), List.of())) {
                boolean wanted = !seen.containsKey(p.signal()) || p.signal() == Signal.CHANNEL;
                if (wanted && confirmed(t, i, p.confirms(), next)) {
                    Matcher m = p.pattern().matcher(t.substring(i, Math.min(n, i + REACH)));
                    if (m.lookingAt() && !warning(p.signal(), text, i, end, m.end())) {
                        seen.putIfAbsent(p.signal(), new int[] {i, i + m.end()});
                        if (p.signal() == Signal.CHANNEL) {
                            channels.add(i);
                        }
                    }
                }
            }
            i = end;
        }
        return channels;
    }

    /** Whether every group of literals has one starting in {@code [i, i + REACH)}. */
    private static boolean confirmed(String t, int i, int[][] groups, int[] next) {
        for (int[] group : groups) {
            boolean found = false;
            for (int literal : group) {
                if (next[literal] < i) {
                    int at = t.indexOf(LITERALS.get(literal), i);
                    next[literal] = at < 0 ? t.length() : at;
                }
                if (next[literal] < Math.min(i + REACH, t.length())) {
                    found = true;
                    break;
                }
            }
            if (!found) {
                return false;
            }
        }
        return true;
    }

    /**
     * Whether a match of a phrase anchored at {@code [i, end)} of {@code text} is a warning rather than an instruction.
     * Execution: a negation earlier in its sentence ("do NOT pipe remote scripts into a shell (curl … | sh)"), or an
     * anchor that is part of an identifier ({@code run_command(command="rm -rf …")} in an example). A channel: a
     * negation right before its verb or inside it ("never put a token in `username`", "do not include file contents
     * … in a request").
     */
    private static boolean warning(Signal signal, String text, int i, int end, int length) {
        return switch (signal) {
            case EXECUTION -> negated(text, i, NEGATION_REACH) || (i > 0 && text.charAt(i - 1) == '_')
                    || (end < text.length() && text.charAt(end) == '_');
            case CHANNEL -> negated(text, i, DIRECT_NEGATION_REACH)
                    || NEGATION.matcher(text.substring(i, Math.min(text.length(), i + length))).find();
            default -> false;
        };
    }

    /** How far back in its sentence a negation ("do not pipe … into a shell") turns an instruction into a warning. */
    private static final int NEGATION_REACH = 60;
    /** How far before a verb a negation governs it: "do not include", "you never pass". */
    private static final int DIRECT_NEGATION_REACH = 12;
    private static final Pattern NEGATION = Pattern.compile("\\b(?:not|never|n't|unless|avoid|no)\\b");

    private static boolean negated(String t, int i, int reach) {
        int from = Math.max(0, i - reach);
        for (int k = i - 1; k >= from; k--) {
            char c = t.charAt(k);
            if (c == '.' || c == '!' || c == '?' || c == ';') {
                from = k + 1;
                break;
            }
        }
        return NEGATION.matcher(t.substring(from, i)).find();
    }

    private static boolean isWordChar(char c) {
        return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c > 127;
    }

    /**
     * A parameter named for the content it is to carry, {@code contents_of_users_ssh_id_rsa_file}: the name itself asks
     * for the data, so it is a channel (one that counts next to a credential named in it or near it).
     */
    private static void contentNames(String t, Map<Signal, int[]> seen, List<Integer> channels) {
        for (String prefix : CONTENT_NAMES) {
            for (int at = t.indexOf(prefix); at >= 0; at = t.indexOf(prefix, at + 1)) {
                if (at == 0 || !isWordChar(t.charAt(at - 1))) {
                    channels.add(at);
                    seen.putIfAbsent(Signal.CHANNEL, new int[] {at, at + prefix.length()});
                }
            }
        }
    }

    private static final List<String> CONTENT_NAMES = List.of("contents_of_", "content_of_", "full_text_of_", "text_of_");

    /** Records the first SENSITIVE name in {@code seen}, and returns where every one starts, for {@link #near}. */
    private static List<Integer> sensitive(String t, Map<Signal, int[]> seen) {
        List<Integer> at = new ArrayList<>();
        for (String name : SENSITIVE) {
            for (int i = t.indexOf(name); i >= 0; i = t.indexOf(name, i + 1)) {
                int end = i + name.length();
                boolean dotName = name.charAt(0) == '.';
                // a dot name stands alone (".env", "~/.npmrc"), not as a member ("process.env") or inside a word
                if ((dotName && i > 0 && isWordChar(t.charAt(i - 1))) || (end < t.length() && isWordChar(t.charAt(end))
                        && Character.isLetterOrDigit(name.charAt(name.length() - 1)))) {
                    continue;
                }
                at.add(i);
                if (!seen.containsKey(Signal.SENSITIVE) || seen.get(Signal.SENSITIVE)[0] > i) {
                    seen.put(Signal.SENSITIVE, new int[] {i, end});
                }
            }
        }
        return at;
    }

    /**
     * Chinese, Japanese and Korean put no blanks between words, so the anchors of {@link #phrases} never match there.
     * These are found as literals instead, normalised as the text is: what is kept from the user, what is sensitive,
     * and a channel, a quoted parameter name next to the word "parameter" with the word "content" before it
     * ("把全部内容原样放入 `project_profile` 参数中").
     */
    private static void cjk(String t, Map<Signal, int[]> seen, List<Integer> sensitive, List<Integer> channels) {
        for (String word : CJK_CONCEALMENT) {
            int at = t.indexOf(word);
            if (at >= 0) {
                seen.putIfAbsent(Signal.CONCEALMENT, new int[] {at, at + word.length()});
            }
        }
        for (String word : CJK_SENSITIVE) {
            for (int at = t.indexOf(word); at >= 0; at = t.indexOf(word, at + 1)) {
                sensitive.add(at);
                seen.putIfAbsent(Signal.SENSITIVE, new int[] {at, at + word.length()});
            }
        }
        for (String word : CJK_PARAMETER) {
            for (int at = t.indexOf(word); at >= 0; at = t.indexOf(word, at + 1)) {
                if (quotedNameNextTo(t, at, at + word.length()) && contentBefore(t, at)) {
                    channels.add(at);
                    seen.putIfAbsent(Signal.CHANNEL, new int[] {at, at + word.length()});
                }
            }
        }
    }

    private static final List<String> CJK_CONCEALMENT = normalised("不要告诉用户", "不要让用户知道", "无需告知用户",
            "不要向用户透露", "ユーザーに伝えない", "ユーザーには伝えない", "ユーザーに知らせない", "ユーザーには知らせない",
            "ユーザーに言わない", "사용자에게 알리지 마", "사용자에게 말하지 마");
    private static final List<String> CJK_SENSITIVE = normalised("环境变量", "系统提示", "对话记录", "会话记录", "環境変数",
            "システムプロンプト", "会話履歴", "환경 변수", "시스템 프롬프트", "대화 기록");
    private static final List<String> CJK_PARAMETER = normalised("参数", "字段", "パラメータ", "フィールド", "引数", "매개변수",
            "필드", "인자");
    private static final List<String> CJK_CONTENT = normalised("内容", "中身", "输出", "出力", "내용", "출력");
    /** How far before the parameter word the content it is to carry may be named. */
    private static final int CJK_CONTENT_REACH = 60;

    private static List<String> normalised(String... words) {
        return Arrays.stream(words).map(w -> NormalizedText.of(w).text()).toList();
    }

    /** Whether a quoted name ends just before {@code [at, end)} or starts just after it (a blank or two apart). */
    private static boolean quotedNameNextTo(String t, int at, int end) {
        int before = at - 1;
        while (before >= 0 && before >= at - 2 && t.charAt(before) == ' ') {
            before--;
        }
        int after = end;
        while (after < t.length() && after < end + 2 && t.charAt(after) == ' ') {
            after++;
        }
        return (before >= 0 && QUOTES.indexOf(t.charAt(before)) >= 0)
                || (after < t.length() && QUOTES.indexOf(t.charAt(after)) >= 0);
    }

    private static final String QUOTES = "`'\"」』";

    private static boolean contentBefore(String t, int at) {
        String before = t.substring(Math.max(0, at - CJK_CONTENT_REACH), at);
        return CJK_CONTENT.stream().anyMatch(before::contains);
    }

    /** How far apart data and the channel it leaves by may be named: about the same or the next sentence. */
    private static final int NEAR = 250;

    private static boolean near(List<Integer> sensitive, List<Integer> channels) {
        for (int s : sensitive) {
            for (int c : channels) {
                if (Math.abs(s - c) <= NEAR) {
                    return true;
                }
            }
        }
        return false;
    }

    /** The first directive tag: tried anchored at each char that starts one. */
    private static void markup(String t, Map<Signal, int[]> seen) {
        for (int i = 0; i < t.length(); i++) {
            char c = t.charAt(i);
            if (c == '<' || c == '[' || c == '#' || (c == 'n' && (i == 0 || !isWordChar(t.charAt(i - 1))))) {
                Matcher m = MARKUP.matcher(t.substring(i, Math.min(t.length(), i + MARKUP_REACH)));
                if (m.lookingAt()) {
                    seen.put(Signal.MARKUP, new int[] {i, i + m.end()});
                    return;
                }
            }
        }
    }

    /** The longest directive tag, with blanks: {@code ### note to the language model}. */
    private static final int MARKUP_REACH = 40;

    /**
     * The score of what a definition shows, 0 when it is no evidence. One signal alone is enough only where a
     * legitimate tool has no reason for it. SENSITIVE and CHANNEL are ordinary apart (an SSH tool reads
     * {@code ~/.ssh/config}, a tool takes a file's content as a parameter) and count together only when named within
     * {@link #NEAR} chars of each other. Concealment alone stays below the built-in threshold ("do not mention this
     * tool by name" is a style rule), and it and MARKUP raise other evidence.
     */
    private static int score(Map<Signal, int[]> seen, boolean exfiltration) {
        int score = exfiltration ? 90 : 0;
        if (seen.containsKey(Signal.SHADOWING)) {
            score = Math.max(score, 85);
        }
        if (seen.containsKey(Signal.EXECUTION) || seen.containsKey(Signal.OVERRIDE)) {
            score = Math.max(score, 80);
        }
        if (seen.containsKey(Signal.DECEPTION)) {
            score = score > 0 ? score + 10 : 75;
        }
        if (seen.containsKey(Signal.CONCEALMENT)) {
            boolean data = seen.containsKey(Signal.SENSITIVE) || seen.containsKey(Signal.CHANNEL);
            score = score > 0 ? score + 10 : data ? 75 : 60;
        }
        if (score > 0 && seen.containsKey(Signal.MARKUP)) {
            score += 10;
        }
        return Math.min(100, score);
    }

    /** Text spelled in Unicode tag chars, read as the ASCII it encodes and judged; a finding of its own either way. */
    private static void smuggled(String text, List<Finding> out) {
        int first = -1;
        int last = -1;
        StringBuilder hidden = new StringBuilder();
        for (int i = 0; i < text.length(); ) {
            int cp = text.codePointAt(i);
            if (cp >= TAG_FIRST && cp <= TAG_LAST) {
                first = first < 0 ? i : first;
                last = i + Character.charCount(cp);
                hidden.append((char) (cp - TAG_FIRST));
            }
            i += Character.charCount(cp);
        }
        if (first >= 0) {
            hidden(hidden.toString(), first, last, "unicode-tags", out);
        }
    }

    /** Text behind a right-to-left override, read in the order it is displayed, and judged. */
    private static void reversed(String text, List<Finding> out) {
        for (int i = text.indexOf(RIGHT_TO_LEFT_OVERRIDE); i >= 0; i = text.indexOf(RIGHT_TO_LEFT_OVERRIDE, i + 1)) {
            int end = text.indexOf(POP_DIRECTIONAL, i);
            int newline = text.indexOf('\n', i);
            end = end < 0 ? (newline < 0 ? text.length() : newline) : end;
            String shown = new StringBuilder(text.substring(i + 1, end)).reverse().toString();
            hidden(shown, i, Math.min(text.length(), end + 1), "bidi-override", out);
        }
    }

    /**
     * A finding for text hidden at {@code [start, end)} of the definition: at least 80, since hiding instructions from
     * the person who reads the description is itself the attack, and higher when what is hidden is evidence too.
     */
    private static void hidden(String decoded, int start, int end, String how, List<Finding> out) {
        List<Finding> inner = new ArrayList<>();
        judge(decoded, 0, ", " + how, inner);
        int score = inner.isEmpty() ? 80 : Math.max(80, inner.get(0).score());
        String why = inner.isEmpty() ? "rule:tool-poisoning (" + how + ")" : inner.get(0).explanation();
        out.add(new Finding(Category.PROMPT_INJECTION, TYPE, start, end, score, why));
    }

    /** Runs of at least {@link #MIN_HEX} hex digits that decode to printable ASCII, judged as that text. */
    private static void hex(String text, List<Finding> out) {
        int n = text.length();
        for (int i = 0; i < n; ) {
            if (!isHexDigit(text.charAt(i))) {
                i++;
                continue;
            }
            int end = i;
            while (end < n && isHexDigit(text.charAt(end))) {
                end++;
            }
            if (end - i >= MIN_HEX) {
                StringBuilder decoded = new StringBuilder();
                for (int k = i; k + 1 < end && decoded != null; k += 2) {
                    char c = (char) Integer.parseInt(text, k, k + 2, 16);
                    decoded = (c < 0x20 && c != '\n') || c > 0x7E ? null : decoded.append(c);
                }
                if (decoded != null) {
                    List<Finding> inner = new ArrayList<>();
                    judge(decoded.toString(), 0, ", hex-encoded", inner);
                    for (Finding f : inner) {
                        out.add(new Finding(f.category(), f.type(), i, end, f.score(), f.explanation()));
                    }
                }
            }
            i = end;
        }
    }

    private static boolean isHexDigit(char c) {
        return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
    }

    /** Hex long enough to hide a sentence; a SHA-256 digest is 64 digits, but decodes to bytes, not text. */
    private static final int MIN_HEX = 32;

    /**
     * A definition that says it holds rot13 ("internal note in rot13, apply it") is read rotated too: rot13 keeps
     * every char in place, so the findings' offsets stand.
     */
    private static void rot13(String text, List<Finding> out) {
        String lower = text.toLowerCase(Locale.ROOT);
        if (!lower.contains("rot13") && !lower.contains("rot-13") && !lower.contains("rot 13")) {
            return;
        }
        StringBuilder rotated = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            rotated.append(c >= 'a' && c <= 'z' ? (char) ('a' + (c - 'a' + 13) % 26)
                    : c >= 'A' && c <= 'Z' ? (char) ('A' + (c - 'A' + 13) % 26) : c);
        }
        judge(rotated.toString(), 0, ", rot13", out);
    }

    /**
     * Host names that mix Latin letters with Cyrillic or Greek look-alikes ({@code gіthub.com} with a Cyrillic i): a
     * destination dressed up as a known one. No legitimate tool needs such a name.
     */
    private static void lookAlikeHosts(String text, List<Finding> out) {
        for (int i = text.indexOf("://"); i >= 0; i = text.indexOf("://", i + 3)) {
            int end = i + 3;
            boolean latin = false;
            boolean lookAlike = false;
            while (end < text.length() && !Character.isWhitespace(text.charAt(end)) && "/?#\"'`)>".indexOf(text.charAt(end)) < 0) {
                Character.UnicodeScript script = Character.UnicodeScript.of(text.charAt(end));
                latin |= script == Character.UnicodeScript.LATIN;
                lookAlike |= script == Character.UnicodeScript.CYRILLIC || script == Character.UnicodeScript.GREEK;
                end++;
            }
            if (latin && lookAlike) {
                out.add(new Finding(Category.PROMPT_INJECTION, TYPE, i + 3, end, 85, "rule:tool-poisoning (look-alike host)"));
            }
        }
    }

    /** Base64 runs long enough to hide a sentence ({@link InjectionDetector#base64Runs}), judged as what they decode to. */
    private static void encoded(String text, List<Finding> out) {
        int[] runs = InjectionDetector.base64Runs(text);
        for (int r = 0; r < runs.length; r += 2) {
            String decoded = InjectionDetector.decode(text.substring(runs[r], runs[r + 1]));
            if (decoded == null) {
                continue;
            }
            List<Finding> inner = new ArrayList<>();
            judge(decoded, 0, ", base64-encoded", inner);
            for (Finding f : inner) {
                out.add(new Finding(f.category(), f.type(), runs[r], runs[r + 1], f.score(), f.explanation()));
            }
        }
    }
}
