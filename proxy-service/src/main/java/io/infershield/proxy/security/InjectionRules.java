package io.infershield.proxy.security;

import com.google.re2j.Pattern;
import java.util.List;

/**
 * Prompt-injection and jailbreak phrasings, matched on {@link NormalizedText} (lower case, de-obfuscated) with
 * RE2 (linear time). Each rule is a family of paraphrases, not a copied attack. Rules at or above
 * {@link InjectionDetector#DIRECT_SCORE} report on their own; every rule is also a feature of the learned model.
 *
 * <p>Every pattern starts with one of its rule's keywords, and a keyword starts with a whole word (its anchor).
 * One pass over the words looks each up in a hash table of anchors; where a word is an anchor, the rule's
 * pattern is tried anchored there ({@code lookingAt}) on at most {@link #REACH} chars, which fails within a few
 * chars on ordinary text. So RE2 never scans text that holds no anchor, and a rule stops at its first match.
 *
 * <p>The indirect-injection families follow the published taxonomies rather than rows of any data set:
 * Greshake et al. 2023, "Not what you've signed up for" (instructions planted in retrieved data: task hijack,
 * content manipulation such as ads, links and misinformation in the answer, deceiving the user, information
 * gathering, malware in generated code) and the BIPIA attack categories (Yi et al. 2023: task-irrelevant,
 * task-relevant and targeted instructions, and answers to be encoded, reversed, substituted or restyled).
 */
final class InjectionRules {

    /**
     * One phrasing family; its pattern starts with one of its keywords and cannot match unless one of its
     * {@code confirm} words (a word the pattern requires) starts within {@code confirmReach} chars of the keyword
     * ({@link #REACH} when the pattern allows that much; less where the regex bounds how far the confirm word can
     * be, which spares RE2 the attempts at anchors that cannot match). Where the pattern also requires
     * literals that the confirm words do not capture, {@code need} lists them: the window must hold one literal of
     * every group before RE2 runs (a few {@code indexOf} instead of an NFA run over a {@code .{0,80}?} gap).
     */
    record Rule(String id, String type, Pattern pattern, int score, String[] keywords, String[] confirm, int confirmReach,
            String[][] need) {

        /** False when the window {@code w} lacks every literal of some {@code need} group, so no match can be in it. */
        boolean mayMatch(String w) {
            for (String[] group : need) {
                boolean any = false;
                for (int i = 0; i < group.length && !any; i++) {
                    any = w.contains(group[i]);
                }
                if (!any) {
                    return false;
                }
            }
            return true;
        }
    }

    /** Anchor words (a keyword's leading word) and confirm words, each to the rules that use them. */
    private static final WordTable WORDS;
    /** How far past the keyword's start a rule's match may reach, in normalised chars. */
    static final int REACH = 240;

    private InjectionRules() {
    }

    private static Rule r(String id, String type, int score, String keywords, String confirm, String regex) {
        return r(id, type, score, keywords, confirm, REACH, regex);
    }

    /**
     * The pattern is compiled behind {@code ^}: {@code lookingAt} alone anchors the match, but RE2J's NFA then
     * keeps stepping through the rest of the window after its last thread died (≈ 5 µs per failed attempt over
     * {@link #REACH} chars); with {@code ^} it stops there. The matches are the same.
     */
    private static Rule r(String id, String type, int score, String keywords, String confirm, int confirmReach, String regex) {
        return new Rule(id, type, Pattern.compile("^(?:" + regex + ")"), score, keywords.split(","), confirm.split(","), confirmReach,
                new String[0][]);
    }

    /** {@code rule} with {@code need} groups, each a {@code |}-separated list of literals its pattern requires one of. */
    private static Rule needs(Rule rule, String... groups) {
        String[][] need = new String[groups.length][];
        for (int i = 0; i < groups.length; i++) {
            need[i] = groups[i].split("\\|");
        }
        return new Rule(rule.id(), rule.type(), rule.pattern(), rule.score(), rule.keywords(), rule.confirm(), rule.confirmReach(), need);
    }

    /**
     * Literals that {@link #YOUR_ANSWER} and {@link #ANY_ANSWER} require: the determiner between spaces, and the
     * answer word after a space (as a prefix: "repl" for reply and replies). "result" is in {@link #ANSWER} but
     * not among the rules' confirm words, so it must be here.
     */
    private static final String YOUR_LITERALS = " your | each | every | any | all ";
    private static final String ANSWER_LITERALS = " response| answer| repl| output| summar| translation| analysis| review| message| completion| result";

    private static final String ANY = "(?:all |any |the |your |my |of |these |those |every |each |and |previous |prior |above |earlier )*";
    /** What the assistant produces: the object that content-manipulation instructions target. */
    private static final String ANSWER = "(?:response|responses|answer|answers|reply|replies|output|summary|summaries|translation|"
            + "analysis|review|message|messages|completion|results?)";
    /** The assistant's own answer ("your response", "each reply"): a data file rarely talks about it. */
    private static final String YOUR_ANSWER = "(?:your|each|every|any|all) (?:final |next |entire |whole |generated )?" + ANSWER + "\\b";
    private static final String ANY_ANSWER = "(?:your|the|each|every|any|all) (?:final |next |entire |whole |generated )?" + ANSWER + "\\b";
    /** Output transformations used to smuggle or disguise an answer. */
    private static final String TRANSFORM = "(?:base ?(?:64|58|32|16|85)|hex(?:adecimal)?|(?:homophonic|alphanumeric|letter|character|numeric|simple|monoalphabetic) substitution(?: cipher)?|substitution cipher|binary|morse(?: code)?|rot ?13|caesar|"
            + "(?:a |the )?(?:reverse|reversed|backwards?)(?: order)?|emojis?|leet ?speak|pig latin|(?:all )?(?:caps|uppercase|capital letters)|"
            + "(?:a |an )?(?:cipher|anagrams?)|homophones?|(?:the )?style of|(?:the )?voice of|(?:a |an )?(?:pirate|shakespearean?|poem|rhymes?))";

    /** The words {@link #TRANSFORM} requires: one of them must follow the verb of an answer transformation. */
    private static final String TRANSFORM_WORDS = "base,base64,base58,base32,base16,base85,substitution,hex,hexadecimal,binary,morse,rot,rot13,caesar,reverse,reversed,"
            + "backward,backwards,emoji,emojis,leet,leetspeak,pig,caps,uppercase,capital,cipher,anagram,anagrams,homophone,homophones,"
            + "style,voice,pirate,shakespearea,shakespearean,poem,rhyme,rhymes";

    static final List<Rule> ALL = List.of(
            // instruction override
            r("override-ignore-instructions", "instruction_override", 90, "ignore,disregard,forget,override,bypass,discard,neglect,skip", "instruction,instructions,prompt,prompts,rules,directive,directives,guidelines,command,commands,context,programming,messages,restrictions,constraints,policies,training",
                    "(?:ignore|disregard|forget|override|bypass|discard|neglect|skip) " + ANY
                            + "(?:previous|prior|above|earlier|preceding|initial|original|system|foregoing|following|former|old|given|other)?"
                            + " ?(?:instructions?|prompts?|rules|directives?|guidelines|commands?|context|programming|messages|restrictions|constraints|policies|training)\\b"),
            r("override-forget-everything", "instruction_override", 80, "forget,ignore,disregard", "you,above,before,said,previously",
                    "(?:forget|ignore|disregard) (?:about )?(?:everything|all that|what) (?:you (?:have |were |learned|know|been)|above|before|i said|previously)"),
            r("override-new-instructions", "instruction_override", 60, "new,updated,real,actual", "instructions,rules,prompt,directive,directives", 24,
                    "(?:new|updated|real|actual|true) (?:instructions|rules|system prompt|directives?) ?(?::|are|follow)"),
            r("override-stop-print", "instruction_override", 70, "stop everything,instead", "everything,print,say,output,write,respond", 24,
                    "(?:stop everything|instead,? (?:just )?(?:print|say|output|write|respond with))\\b"),
            r("override-just-print", "instruction_override", 55, "just", "print,say,output",
                    "just (?:print|say|output) \""),
            r("override-priority", "instruction_override", 60, "top,highest,absolute,override,overrides,overriding", "priority,any,all,your,the",
                    "(?:top|highest|absolute) priority\\b|over(?:ride|rides|riding) (?:any|all|your|the) "),
            // role play and persona jailbreaks
            r("persona-dan", "role_play", 85, "dan,stan,dude,aim,anti,do,developer,jailbreak,jailbroken,jailbreaking", "mode,anything,enabled,output,on,jailbreak,jailbroken,jailbreaking",
                    "(?:dan|stan|dude|aim|anti-?dan) mode\\b|do anything now\\b|developer mode (?:enabled|output|on)\\b|jailbr(?:eak|oken)\\b"),
            r("persona-pretend", "role_play", 60, "you", "act,pretend,roleplay,role,immerse,simulate,become",
                    "(?:you are|you're|you will be|you'll be|you are going to|you will) (?:now |going to |about to )?(?:act|pretend|roleplay|role-play|play the role|immerse yourself|simulate|become)\\b(?: as| to be| like| into| the role)?"),
            r("persona-act-as", "role_play", 45, "act as,pretend,roleplay as,role-play as,from now on", "as,be,you,on", 20,
                    "(?:act as|pretend to be|pretend you are|roleplay as|role-play as|from now on,? you)\\b"),
            needs(r("persona-no-limits", "role_play", 80, "no,without,free,not bound,unrestricted,regardless,ignore", "restrictions,guidelines,filters,limitations,boundaries,constraints,rules,principles,policies,censorship,morals,ethics,morality,bound",
                    "(?:no|without|free (?:of|from)|not bound by|unrestricted by|regardless of|ignore) (?:any )?(?:(?:ethical|moral|legal|content|safety) (?:restrictions|guidelines|filters|limitations|boundaries|constraints|rules|principles|policies)|censorship|morals|ethics|morality)\\b|not bound by\\b"),
                    "ethical |moral|legal |content |safety |censorship|ethics|not bound by"),
            r("persona-unfiltered", "role_play", 70, "unfiltered,uncensored,amoral,unethical,unrestricted,unbound,unchained,immoral", "ai,assistant,chatbot,bot,model,response,version,persona,character,mode",
                    "(?:unfiltered|uncensored|amoral|unethical|unrestricted|unbound|unchained|immoral) (?:ai|assistant|chatbot|bot|model|response|version|persona|character|mode)\\b"),
            // a new named identity for the assistant ("pretend to be an AI called X", "take on the role of a bot named Y")
            needs(r("persona-named", "role_play", 75, "you are now,you're now,from now on,from this moment,take on,pretend,emulate,roleplay,role-play,act as,become", "ai,bot,chatbot,character,persona,assistant,entity,model,version,called,named,known",
                    "(?:you are now|you're now|from now on,?(?: you(?: are| will be| will)?)?|from this moment,?(?: on,?)?(?: you(?: will| are)?)?|take on the (?:role|persona|identity) of|pretend (?:to be|you are)|emulate|roleplay as|role-play as|act as|become)\\b.{0,60}?\\b(?:ai|bot|chatbot|character|persona|assistant|entity|model|version)s?\\b.{0,20}?\\b(?:called|named|known as)\\b"),
                    "called|named|known as"),
            // the jailbreak's promise of a rule-free mode: two of the limits named together ("no rules or limitations")
            r("persona-no-rules", "role_play", 70, "no,free,without,unbound", "rules,limitations,limits,restrictions,guidelines,filters,policies,boundaries,censorship,morals,ethics",
                    "(?:no|free (?:from|of)(?: all| any)?|without(?: any)?|unbound by(?: any)?) (?:rules|limitations|limits|restrictions|guidelines|filters|policies|boundaries|censorship|morals|ethics),? (?:(?:or|and|no|nor) )+(?:any )?(?:rules|limitations|limits|restrictions|guidelines|filters|policies|boundaries|censorship|morals|ethics)\\b"),
            r("persona-special-mode", "role_play", 85, "developer,god,admin,sudo,unrestricted,uncensored,jailbreak,jailbroken", "mode",
                    "(?:developer|god|admin|sudo|unrestricted|uncensored|jailbr(?:eak|oken))[ _]?mode\\b ?[:=]? ?(?:is )?(?:enabled|activated|engaged|on|unlocked)\\b"),
            // a forged turn boundary or system message inside user text, or a chat template's special tokens
            r("override-fake-system", "instruction_override", 80, "user,system,end,im,inst,sys", "message,input,prompt,instruction,instructions,override,start,starting,begin,begins,system,sys,inst",
                    "user (?:message|input|prompt) ?(?:terminat\\w*|ended|ends|is over)|system (?:instructions?|override|message) ?(?::|starting|starts|begins?|follows?)|end of (?:the )?(?:user )?(?:message|input|prompt),? ?(?:new |begin )?(?:system|instructions)|im_start\\|?>? ?(?:system|assistant)|inst\\]|sys>>"),
            r("persona-stay-in-character", "role_play", 65, "stay in,break,never,cannot,can't,always,do not,don't", "character,refuse,no,answer,respond,comply",
                    "(?:stay in character|break(?:ing)? character|never refuse|never say no|cannot refuse|can't refuse|always (?:answer|respond|comply)|do not refuse|don't refuse)\\b"),
            r("persona-policy", "role_play", 55, "openai,content,as", "policy,policies,model",
                    "openai(?:'s)? (?:content )?polic(?:y|ies)\\b|content polic(?:y|ies)\\b|as an ai language model\\b"),
            r("persona-two-responses", "role_play", 60, "two", "ways,responses,answers,paragraphs",
                    "two (?:different )?(?:separate )?(?:ways|responses|answers|paragraphs)\\b"),
            // system-prompt extraction
            r("extract-system-prompt", "system_prompt_extraction", 60, "system,initial,original,hidden,secret,developer,pre-prompt,preprompt", "prompt,instructions,message,configuration,preprompt",
                    "(?:system|initial|original|hidden|secret|developer|pre-?prompt) ?(?:prompt|instructions|message|configuration)\\b"),
            r("extract-repeat-above", "system_prompt_extraction", 70, "repeat,print,reveal,show,output,display,tell me,write out,list,spell out", "above,before,given,beginning,start,verbatim,word",
                    "(?:repeat|print|reveal|show|output|display|tell me|write out|list|spell out) (?:me )?(?:back )?(?:all |the |your |this |that |entire |whole |full )*(?:text|words|instructions|prompt|everything|content|message|conversation|chat)s? (?:back (?:to )?(?:me )?)?(?:above|before|you were given|at the (?:beginning|start)|verbatim|word for word)"),
            // the assistant's own instructions asked for by name ("output your starting instructions")
            r("extract-reveal-instructions", "system_prompt_extraction", 70, "output,print,display,show,reveal,repeat,dump,share,give,tell,write,recite,spell,paste,echo,leak,expose,disclose,provide,list", "your", 40,
                    "(?:output|print|display|show|reveal|repeat|dump|share|give|tell|write|recite|spell|paste|echo|leak|expose|disclose|provide|list)(?: out| down| back| up)?(?: to)?(?: me| us)? (?:all |the |of )*your (?:\\w+ ){0,2}?(?:instructions|system prompt|prompt|directives|guidelines|rules|configuration|programming|system message|initial message|hidden message)\\b"),
            r("extract-your-instructions", "system_prompt_extraction", 65, "what,which,my instructions are,not supposed,not allowed", "instructions,rules,guidelines,directives,initial,first,are,tell,say,reveal,share",
                    "(?:what|which) (?:are|were|was|is) (?:your|those|the) (?:instructions|rules|guidelines|directives|initial|first)|my instructions are\\b|not (?:supposed|allowed) to (?:tell|say|reveal|share)"),
            r("extract-system-prompt-verb", "system_prompt_extraction", 70, "repeat,print,reveal,show,output,display,encode,translate,dump,leak,summarize,summarise,spell,write,recite", "system,initial,initially,original,hidden",
                    "(?:repeat|print|reveal|show|output|display|encode|translate|dump|leak|summari[sz]e|spell out|write out|recite)\\b(?: me)?(?: (?:all|everything|the text|the words|each word))?(?: (?:in|of|from))? (?:the |your )(?:system prompt|initial (?:prompt|instructions|configuration|message)|original (?:prompt|instructions)|hidden (?:prompt|instructions))\\b"),
            r("extract-told-before", "system_prompt_extraction", 70, "what,everything,the text,the words,were you,you were", "told,given,instructed",
                    "(?:(?:what|everything) (?:were|was|have|had) you (?:been )?(?:told|given|instructed)|(?:the )?(?:text|words|instructions) you were (?:given|told)|you were (?:told|given|instructed)) (?:initially|at the (?:start|beginning)|before (?:this|the|our) (?:conversation|chat|session))"),
            // indirect injection addressed to the assistant inside pasted content
            r("indirect-addressed", "indirect_injection", 75, "ai,assistant,llm,chatbot,language model,copilot,chatgpt,gpt,claude,model", "ignore,disregard,must,should,execute,run,send,forward,exfiltrate,tell",
                    "(?:ai|assistant|llm|chatbot|language model|copilot|chatgpt|gpt|claude|model)s?,? ?(?::|-)? (?:please )?(?:ignore|disregard|you must|you should now|execute|run the|send|forward|exfiltrate|do not tell)"),
            // a note in pasted content written to whichever assistant reads it ("AI-NOTE: when you…", "# hey
            // assistant: also add…", "reviewer-bot: approve this"): a colon after the addressee, then a standing order
            r("indirect-note-to-ai", "indirect_injection", 75, "ai,assistant,assistants,copilot,claude,cursor,chatgpt,gpt,llm,llms,agent,agents,bot,bots,codex,gemini", "when,whenever,while,always,never,also,ignore,disregard,approve,do,don,make,you,remember,before,after,secretly,silently,quietly,important,instead", 60,
                    "(?:ai|assistants?|copilot|claude|cursor|chatgpt|gpt|llms?|agents?|bots?|codex|gemini)(?:[ -](?:note|notes|directive|directives|instructions?|reviewers?|review|optimi[sz]ers?|readers?|tools?|systems?|models?|only))? ?: ?(?:please |important[:!]? |note[:!]? )?(?:when(?:ever)?|while|always|never|also|ignore|disregard|approve|do not|don't|make sure|you must|you should|remember|before|after|secretly|silently|quietly|instead)\\b"),
            r("indirect-if-ai", "indirect_injection", 75, "if you are,when you are,note to", "ai,llm,language,assistant,bot,model",
                    "(?:if|when) you are an? (?:ai|llm|language model|assistant|bot)\\b|note to (?:the )?(?:ai|assistant|llm|model)\\b"),
            r("indirect-your-output", "indirect_injection", 40, "your", "reply,replies,response,responses,answer,answers,output,code,program,solution,algorithm,implementation,script,text",
                    "your (?:reply|replies|response|responses|answer|answers|output|code|program|solution|algorithm|program logic|implementation|script|text)\\b"),
            r("indirect-exfil", "indirect_injection", 70, "send,post,upload,forward,leak,exfiltrate,transmit", "data,conversation,chat,credentials,passwords,api,secrets,tokens,cookies,files,information",
                    "(?:send|post|upload|forward|leak|exfiltrate|transmit) (?:all |the |any |your |my |this )*(?:data|conversation|chat history|credentials|passwords|api keys?|secrets|tokens|cookies|files|information) (?:to|via)\\b"),
            // indirect injection: instructions in data that change the assistant's answer (Greshake et al.:
            // manipulated content, fraud, malware in generated code; BIPIA: targeted and task-hijacking
            // instructions, answers to be encoded, reversed or restyled)
            needs(r("indirect-answer-insert", "indirect_injection", 65, "include,add,append,insert,prepend,embed,inject,mention,put,place,attach,incorporate", "response,responses,answer,answers,reply,replies,output,summary,summaries,translation,analysis,review,message,messages,completion",
                    "(?:include|add|append|insert|prepend|embed|inject|mention|put|place|attach|incorporate)\\b.{0,80}?\\b(?:in|into|to|within|(?:at|to) the (?:end|beginning|start|top|bottom) of) " + YOUR_ANSWER),
                    YOUR_LITERALS, ANSWER_LITERALS),
            needs(r("indirect-answer-link", "indirect_injection", 80, "include,add,append,insert,prepend,embed,inject,mention,put,place,attach,incorporate,promote,advertise,recommend,share", "link,links,url,urls,hyperlink,hyperlinks,website,site,ad,ads,advertisement,promo,coupon,discount,sponsor,sponsored,www,http,https",
                    "(?:include|add|append|insert|prepend|embed|inject|mention|put|place|attach|incorporate|promote|advertise|recommend|share)\\b.{0,60}?\\b(?:links?|urls?|hyperlinks?|website|web ?site|ads?|advertisements?|promo(?: code)?|coupon|discount(?: code)?|sponsor(?:ed)?|www\\.|https?://).{0,80}?\\b(?:in|into|to|within|(?:at|to) the (?:end|beginning|start|top|bottom) of) " + ANY_ANSWER),
                    YOUR_LITERALS + "| the ", ANSWER_LITERALS),
            r("indirect-steer-user", "indirect_injection", 75, "tell,ask,urge,encourage,direct,redirect,remind,convince,persuade,invite,instruct", "user,users,reader,readers,customer,customers,visitor,visitors",
                    "(?:tell|ask|urge|encourage|direct|redirect|remind|convince|persuade|invite|instruct) (?:the |all |every )?(?:users?|readers?|customers?|visitors?) (?:to |that they should )?(?:visit|click|go to|check out|download|install|sign up|subscribe|buy|purchase|donate|transfer|wire|send (?:money|payment|bitcoin|crypto))\\b"),
            r("indirect-answer-transform", "indirect_injection", 70, "respond,reply,answer,write,give,provide,format,rewrite,translate,encode,encrypt,spell,present,express,render,convert,compose", TRANSFORM_WORDS, 80,
                    "(?:respond|reply|answer|write|give|provide|format|rewrite|translate|encode|encrypt|spell|present|express|render|convert|compose)\\b(?: (?:all |the entire |the whole )?your (?:entire |whole |final )?" + ANSWER + ")? ?(?:only |entirely |exclusively )?(?:in|with|using|as|into|to) " + TRANSFORM + "\\b"),
            r("indirect-answer-scramble", "indirect_injection", 70, "jumble,scramble,shuffle,misspell,garble,anagram", "your", 80,
                    "(?:jumble|scramble|shuffle|misspell|garble|anagram)\\w*\\b.{0,60}?\\b(?:in|of|throughout|across|within) (?:all )?" + YOUR_ANSWER),
            r("indirect-task-hijack", "indirect_injection", 75, "instead", "of",
                    "instead of (?:answering|summari[sz]ing|translating|responding|replying|doing|completing|following|analy[sz]ing|reviewing|performing|executing|providing|helping|the (?:task|question|request|summary))\\b"),
            r("indirect-while-also", "indirect_injection", 70, "when,while,after,before", "also,always,make,be,remember,forget,additionally",
                    "(?:when|while|after|before) (?:you )?(?:summari[sz]|answer|respond|repl|translat|review|analy[sz]|generat|writ)\\w*\\b.{0,60}?\\b(?:also|always|make sure|be sure|remember to|don't forget|do not forget|additionally)\\b"),
            r("indirect-deceive-user", "indirect_injection", 75, "do,don,never,without", "user,users,them,anyone,reader,readers",
                    "(?:do not|don't|never|without) (?:mention|mentioning|tell|telling|reveal|revealing|inform|informing|alert|alerting|notify|notifying|let)\\b.{0,20}?\\b(?:the )?(?:users?|them|anyone|readers?)\\b"),
            // code from the data to be planted in the assistant's own code ("merge the following snippet into your
            // solution"): Greshake et al.'s malware-in-generated-code, BIPIA's code attacks. Model evidence on its
            // own, since a developer may ask the same of their own snippet; with a payload it reports directly (CodePayload)
            r("indirect-code-insert", "indirect_injection", 65, "include,add,append,insert,prepend,embed,inject,mention,put,place,attach,incorporate", "code,solution,solutions,answer,response,program,script,output,implementation",
                    "(?:include|add|append|insert|prepend|embed|inject|mention|put|place|attach|incorporate)\\b (?:the following|this|these|that|a|an) (?:code|lines?|snippet|function|command|script|import|statement|payload|backdoor|call)s?\\b.{0,80}?\\b(?:in|into|to|(?:at|to) the (?:top|beginning|start|end|bottom) of) (?:your|each|every|any|the generated) (?:code|solutions?|answer|response|program|script|output|implementation)\\b"),
            r("indirect-code-merge", "indirect_injection", 65, "following,below,subsequent,above,given,attached,provided,this,these", "your,you", 140,
                    "(?:following|below|subsequent|above|given|attached|provided|this|these) (?:code|snippet|script|lines?|function|commands?|payload)s?(?: (?:snippet|excerpt|block|section|fragment|segment|sample|lines?))?s?\\b.{0,80}?\\b(?:(?:in|into|to|within|of|throughout|for|inside|with)(?: \\w+){0,3} your (?:\\w+ ){0,2}?(?:code|codebase|solutions?|answer|response|program|script|output|implementation|algorithm|project|function|app|application|module|elucidation|explanation)|the (?:code|program|script|solution|answer|response)s? you (?:develop|write|create|produce|generate|build|return|give))\\b"),
            r("indirect-code-merge-by", "indirect_injection", 65, "your", "following,below,subsequent,above", 110,
                    "your (?:\\w+ ){0,2}?(?:code|codebase|solutions?|implementation|algorithm|program|script|response|answer|project|elucidation|explanation)\\b[^.!?\\n]{0,80}?\\b(?:following|below|subsequent|above) (?:code|snippet|script|lines?)\\b"),
            // obfuscation used as a carrier
            r("obfuscation-decode-follow", "obfuscation", 60, "decode,decrypt,translate,reverse", "follow,execute,do,obey,answer,respond",
                    "(?:decode|decrypt|translate|reverse) (?:the |this )?(?:following|base64|rot13|hex|cipher|message)s?\\b.{0,60}\\b(?:follow|execute|do|obey|answer|respond)"));

    /** The indexes in {@link #ALL} of the rules with these ids. */
    static int[] indexes(String... ids) {
        int[] out = new int[ids.length];
        for (int i = 0; i < ids.length; i++) {
            String id = ids[i];
            out[i] = java.util.stream.IntStream.range(0, ALL.size()).filter(r -> ALL.get(r).id().equals(id)).findFirst()
                    .orElseThrow(() -> new IllegalArgumentException("no rule " + id));
        }
        return out;
    }

    /**
     * The first match of every rule in normalised text {@code t}: rule index, start, end, flattened. One pass
     * over the words records those that some rule uses; a rule's pattern is then tried only at one of its anchors
     * followed by one of its confirm words within its confirm reach, anchored there, and not again once it
     * matched. Linear in the text: each word is passed once per confirm reach ({@link Confirms}), and an anchor
     * costs at most one bounded attempt per rule.
     */
    static int[] match(String t) {
        return match(t, t.toCharArray(), null);
    }

    /**
     * {@link #match(String)} given also the chars of {@code t} (at least its length of them), which the word pass
     * reads; every word it reads is added to {@code grams} unless that is null.
     */
    static int[] match(String t, char[] chars, InjectionFeatures.WordGrams grams) {
        int n = t.length();
        // the words some rule uses, in text order: their table slot and start
        int[] slots = NONE;
        int[] starts = NONE;
        int k = 0;
        long word = 0;
        int start = 0;
        for (int i = 0; i <= n; i++) {
            char c = i < n ? chars[i] : ' ';
            if (InjectionFeatures.isWord(c)) {
                if (word == 0) {
                    start = i;
                }
                word = word * 31 + c;
                continue;
            }
            if (word == 0) {
                continue;
            }
            if (grams != null) {
                grams.add(word, i);
            }
            int slot = WORDS.slot(word);
            word = 0;
            if (slot < 0) {
                continue;
            }
            if (k == slots.length) {
                slots = java.util.Arrays.copyOf(slots, Math.max(16, 2 * k));
                starts = java.util.Arrays.copyOf(starts, slots.length);
            }
            slots[k] = slot;
            starts[k++] = start;
        }
        long matched = 0; // the rules that matched, a bit per rule
        int[] first = null; // per rule: start, end of its first match
        Confirms confirms = new Confirms(slots, starts, k);
        for (int j = 0; j < k; j++) {
            long anchored = WORDS.anchors[slots[j]] & ~matched;
            if (anchored == 0) {
                continue;
            }
            int s = starts[j];
            int end = Math.min(n, s + REACH);
            // the rules anchored here with a confirm word that starts within their reach of s (the anchor word counts)
            for (long tried = confirms.at(j, anchored); tried != 0; tried &= tried - 1) {
                int r = Long.numberOfTrailingZeros(tried);
                Rule rule = ALL.get(r);
                if (rule.need().length > 0 && !rule.mayMatch(t.substring(s, end))) {
                    continue;
                }
                com.google.re2j.Matcher m = rule.pattern().matcher(java.nio.CharBuffer.wrap(t, s, end));
                if (m.lookingAt()) {
                    if (first == null) {
                        first = new int[2 * ALL.size()];
                    }
                    first[2 * r] = s;
                    first[2 * r + 1] = s + m.end();
                    matched |= 1L << r;
                }
            }
        }
        int[] hits = new int[3 * Long.bitCount(matched)];
        int h = 0;
        for (long left = matched; left != 0; left &= left - 1) {
            int r = Long.numberOfTrailingZeros(left);
            hits[h++] = r;
            hits[h++] = first[2 * r];
            hits[h++] = first[2 * r + 1];
        }
        return hits;
    }

    private static final int[] NONE = {};

    /** Per distance {@code d < REACH} from an anchor, the rules (a bit each) whose confirm reach exceeds {@code d}. */
    private static final long[] WITHIN_REACH = new long[REACH];
    /** How many rule words from an anchor {@link Confirms#at} looks at directly (ordinary text has fewer in reach). */
    private static final int LOOK_AHEAD = 16;

    /** The distinct confirm reaches of the rules, and per reach the rules (a bit each) that have it. */
    private static final int[] REACHES;
    private static final long[] REACH_RULES;
    /** Per rule, the index of its reach in {@link #REACHES}. */
    private static final int[] REACH_OF = new int[ALL.size()];

    static {
        if (ALL.size() > 64) {
            throw new IllegalStateException("rule sets are bit masks of a long: at most 64 rules");
        }
        REACHES = ALL.stream().mapToInt(Rule::confirmReach).distinct().sorted().toArray();
        REACH_RULES = new long[REACHES.length];
        for (int r = 0; r < ALL.size(); r++) {
            int reach = ALL.get(r).confirmReach();
            if (reach > REACH) {
                throw new IllegalStateException(ALL.get(r).id() + ": confirm reach beyond REACH");
            }
            REACH_OF[r] = java.util.Arrays.binarySearch(REACHES, reach);
            REACH_RULES[REACH_OF[r]] |= 1L << r;
            for (int d = 0; d < reach; d++) {
                WITHIN_REACH[d] |= 1L << r;
            }
        }
    }

    /**
     * Which rules have a confirm word that starts within their confirm reach of an anchor, asked for anchors in
     * text order. The next few rule words after an anchor are looked at directly. Where more rule words lie within
     * {@link #REACH}, per distinct reach a pointer runs ahead over the rule words that start before
     * {@code anchor + reach} and notes, for each rule of that reach, where its latest confirm word starts: the rule
     * is confirmed at the anchor when that is at or after the anchor. Each word is passed at most once per reach, so
     * the cost stays linear however densely a text repeats anchors without their confirm words (looking ahead over
     * every rule word in reach cost up to 34 per anchor on 240 chars of "act as act as").
     */
    private static final class Confirms {
        private final int[] slots;
        private final int[] starts;
        private final int size;
        /** Per reach: the first rule word its pointer has not passed. */
        private final int[] next = new int[REACHES.length];
        /** Per rule: where the latest confirm word its reach's pointer passed starts, or -1. */
        private final int[] latest = new int[ALL.size()];

        Confirms(int[] slots, int[] starts, int size) {
            this.slots = slots;
            this.starts = starts;
            this.size = size;
            java.util.Arrays.fill(latest, -1);
        }

        /**
         * Of the rules {@code asked} (a bit each), those confirmed at the anchor that is rule word {@code j}; {@code j}
         * never decreases. The next {@link #LOOK_AHEAD} rule words are looked at directly, which settles most anchors
         * in ordinary text (a rule word every 40 chars or so); the pointers answer for the rest.
         */
        long at(int j, long asked) {
            int s = starts[j];
            long confirmed = 0;
            int m = j;
            for (; m < size && m < j + LOOK_AHEAD && starts[m] - s < REACH; m++) {
                confirmed |= WORDS.confirms[slots[m]] & WITHIN_REACH[starts[m] - s];
            }
            confirmed &= asked;
            // stopped short of REACH with rule words left: the pointers answer for what is not confirmed yet
            return m < size && starts[m] - s < REACH ? confirmed | rest(j, asked & ~confirmed) : confirmed;
        }

        /** {@link #at} for the rules {@code asked} from the pointers, at the anchor that is rule word {@code j}. */
        private long rest(int j, long asked) {
            int s = starts[j];
            long confirmed = 0;
            for (long left = asked; left != 0; left &= left - 1) {
                int r = Long.numberOfTrailingZeros(left);
                // a reach's pointer moves only when one of its rules is asked about: it catches up then, from the
                // anchor on at the earliest (the words before it start before it, so they confirm no rule here or
                // at a later anchor; passing them all cost more than the rest of the confirming together)
                int c = REACH_OF[r];
                long rules = REACH_RULES[c];
                int w = Math.max(next[c], j);
                for (int end = s + REACHES[c]; w < size && starts[w] < end; w++) {
                    for (long found = WORDS.confirms[slots[w]] & rules; found != 0; found &= found - 1) {
                        latest[Long.numberOfTrailingZeros(found)] = starts[w];
                    }
                }
                next[c] = w;
                if (latest[r] >= s) {
                    confirmed |= 1L << r;
                }
            }
            return confirmed;
        }
    }

    /**
     * Open-addressed table from a word's hash (as {@link InjectionFeatures} hashes words) to the rules that use it
     * as an anchor and as a confirm word. One lookup per word of the text, and sparse (at most 1/8 full), so a
     * word that is in neither set (nearly every word) usually costs one probe.
     */
    private static final class WordTable {
        private final long[] words;
        /** Per slot, the rules (a bit each) whose anchor or confirm word it is. */
        final long[] anchors;
        final long[] confirms;
        private final int mask;

        WordTable() {
            java.util.Map<Long, java.util.TreeSet<Integer>> anchorRules = byWord(Rule::keywords);
            java.util.Map<Long, java.util.TreeSet<Integer>> confirmRules = byWord(Rule::confirm);
            java.util.Set<Long> all = new java.util.LinkedHashSet<>(anchorRules.keySet());
            all.addAll(confirmRules.keySet());
            int size = Integer.highestOneBit(all.size() * 16);
            mask = size - 1;
            words = new long[size];
            anchors = new long[size];
            confirms = new long[size];
            boolean[] used = new boolean[size];
            for (long w : all) {
                int slot = hash(w);
                while (used[slot]) {
                    slot = (slot + 1) & mask;
                }
                used[slot] = true;
                words[slot] = w;
                anchors[slot] = toMask(anchorRules.get(w));
                confirms[slot] = toMask(confirmRules.get(w));
            }
        }

        private static java.util.Map<Long, java.util.TreeSet<Integer>> byWord(java.util.function.Function<Rule, String[]> wordsOf) {
            java.util.Map<Long, java.util.TreeSet<Integer>> byWord = new java.util.LinkedHashMap<>();
            for (int r = 0; r < ALL.size(); r++) {
                for (String k : wordsOf.apply(ALL.get(r))) {
                    long w = 0;
                    for (int i = 0; i < k.length() && InjectionFeatures.isWord(k.charAt(i)); i++) {
                        w = w * 31 + k.charAt(i);
                    }
                    if (w == 0) {
                        throw new IllegalStateException("keyword must start with a word char: " + k);
                    }
                    byWord.computeIfAbsent(w, x -> new java.util.TreeSet<>()).add(r);
                }
            }
            return byWord;
        }

        private static long toMask(java.util.TreeSet<Integer> rules) {
            long mask = 0;
            for (int r : rules == null ? java.util.Set.<Integer>of() : rules) {
                mask |= 1L << r;
            }
            return mask;
        }

        private int hash(long w) {
            return (int) ((w * 0x9E3779B97F4A7C15L) >>> 40) & mask;
        }

        /** The slot of word hash {@code w}, or -1 when no rule uses the word (a word hash is never 0). */
        int slot(long w) {
            int slot = hash(w);
            long x;
            while ((x = words[slot]) != 0) {
                if (x == w) {
                    return slot;
                }
                slot = (slot + 1) & mask;
            }
            return -1;
        }
    }

    static {
        WORDS = new WordTable();
    }
}
