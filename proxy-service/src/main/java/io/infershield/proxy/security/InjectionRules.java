package io.infershield.proxy.security;

import com.google.re2j.Pattern;
import java.util.List;

/**
 * Prompt-injection and jailbreak phrasings, matched on {@link NormalizedText} (lower case, de-obfuscated) with
 * RE2 (linear time). Each rule is a family of paraphrases, not a copied attack. Rules at or above
 * {@link InjectionDetector#DIRECT_SCORE} report on their own; every rule is also a feature of the learned model.
 */
final class InjectionRules {

    /** One phrasing family. */
    record Rule(String id, String type, Pattern pattern, int score, String[] keywords) {
    }

    /** Keywords of all rules, with {@link #KEYWORD_RULE} naming the rule each belongs to. */
    static final KeywordIndex KEYWORDS;
    static final int[] KEYWORD_RULE;
    /** How far before and after a keyword hit a rule's match may reach, in normalised chars. */
    static final int REACH = 240;

    private InjectionRules() {
    }

    private static Rule r(String id, String type, int score, String keywords, String regex) {
        return new Rule(id, type, Pattern.compile(regex), score, keywords.split(","));
    }

    private static final String ANY = "(?:all |any |the |your |my |of |these |those |every |each |and |previous |prior |above |earlier )*";

    static final List<Rule> ALL = List.of(
            // instruction override
            r("override-ignore-instructions", "instruction_override", 90, "ignore,disregard,forget,override,bypass,discard,neglect,skip",
                    "\\b(?:ignore|disregard|forget|override|bypass|discard|neglect|skip) " + ANY
                            + "(?:previous|prior|above|earlier|preceding|initial|original|system|foregoing|following|former|old|given|other)?"
                            + " ?(?:instructions?|prompts?|rules|directives?|guidelines|commands?|context|programming|messages|restrictions|constraints|policies|training)\\b"),
            r("override-forget-everything", "instruction_override", 80, "forget,ignore,disregard",
                    "\\b(?:forget|ignore|disregard) (?:about )?(?:everything|all that|what) (?:you (?:have |were |learned|know|been)|above|before|i said|previously)"),
            r("override-new-instructions", "instruction_override", 60, "instructions,rules,system prompt,directive",
                    "\\b(?:new|updated|real|actual|true) (?:instructions|rules|system prompt|directives?) ?(?::|are|follow)"),
            r("override-stop-print", "instruction_override", 70, "stop everything,instead",
                    "\\b(?:stop everything|instead,? (?:just )?(?:print|say|output|write|respond with))\\b"),
            r("override-just-print", "instruction_override", 55, "just ",
                    "\\bjust (?:print|say|output) \""),
            r("override-priority", "instruction_override", 60, "priority,overrid",
                    "\\b(?:top|highest|absolute) priority\\b|\\bover(?:ride|rides|riding) (?:any|all|your|the) "),
            // role play and persona jailbreaks
            r("persona-dan", "role_play", 85, " mode,do anything now,developer mode,jailbr",
                    "\\b(?:dan|stan|dude|aim|anti-?dan) mode\\b|\\bdo anything now\\b|\\bdeveloper mode (?:enabled|output|on)\\b|\\bjailbr(?:eak|oken)\\b"),
            r("persona-pretend", "role_play", 60, "you",
                    "\\b(?:you are|you're|you will be|you'll be|you are going to|you will) (?:now |going to |about to )?(?:act|pretend|roleplay|role-play|play the role|immerse yourself|simulate|become)\\b(?: as| to be| like| into| the role)?"),
            r("persona-act-as", "role_play", 45, "act as,pretend,roleplay as,role-play as,from now on",
                    "\\b(?:act as|pretend to be|pretend you are|roleplay as|role-play as|from now on,? you)\\b"),
            r("persona-no-limits", "role_play", 80, "not bound by,censorship,morals,ethics,morality,restrictions,guidelines,filters,limitations,boundaries,constraints,rules,principles,policies",
                    "\\b(?:no|without|free (?:of|from)|not bound by|unrestricted by|regardless of|ignore) (?:any )?(?:(?:ethical|moral|legal|content|safety) (?:restrictions|guidelines|filters|limitations|boundaries|constraints|rules|principles|policies)|censorship|morals|ethics|morality)\\b|\\bnot bound by\\b"),
            r("persona-unfiltered", "role_play", 70, "unfiltered,uncensored,amoral,unethical,unrestricted,unbound,unchained,immoral",
                    "\\b(?:unfiltered|uncensored|amoral|unethical|unrestricted|unbound|unchained|immoral) (?:ai|assistant|chatbot|bot|model|response|version|persona|character|mode)\\b"),
            r("persona-stay-in-character", "role_play", 65, "character,never refuse,never say no,refuse,always answer,always respond,always comply",
                    "\\b(?:stay in character|break(?:ing)? character|never refuse|never say no|cannot refuse|can't refuse|always (?:answer|respond|comply)|do not refuse|don't refuse)\\b"),
            r("persona-policy", "role_play", 55, "polic,as an ai language model",
                    "\\bopenai(?:'s)? (?:content )?polic(?:y|ies)\\b|\\bcontent polic(?:y|ies)\\b|\\bas an ai language model\\b"),
            r("persona-two-responses", "role_play", 60, "two ,2 ",
                    "\\b(?:two|2) (?:different )?(?:separate )?(?:ways|responses|answers|paragraphs)\\b"),
            // system-prompt extraction
            r("extract-system-prompt", "system_prompt_extraction", 60, " prompt,instructions,message,configuration",
                    "\\b(?:system|initial|original|hidden|secret|developer|pre-?prompt) ?(?:prompt|instructions|message|configuration)\\b"),
            r("extract-repeat-above", "system_prompt_extraction", 70, "repeat,print,reveal,show,output,display,tell me,write out,list,spell out",
                    "\\b(?:repeat|print|reveal|show|output|display|tell me|write out|list|spell out) (?:me )?(?:back )?(?:all |the |your )*(?:text|words|instructions|prompt|everything|content|message)s? (?:above|before|you were given|at the (?:beginning|start)|verbatim)"),
            r("extract-your-instructions", "system_prompt_extraction", 65, "what,which,my instructions are,supposed,allowed",
                    "\\b(?:what|which) (?:are|were|was|is) (?:your|those|the) (?:instructions|rules|guidelines|directives|initial|first)|\\bmy instructions are\\b|\\bnot (?:supposed|allowed) to (?:tell|say|reveal|share)"),
            // indirect injection addressed to the assistant inside pasted content
            r("indirect-addressed", "indirect_injection", 75, "ai,assistant,llm,chatbot,language model,copilot,chatgpt,gpt,claude,model",
                    "\\b(?:ai|assistant|llm|chatbot|language model|copilot|chatgpt|gpt|claude|model)s?,? ?(?::|-)? (?:please )?(?:ignore|disregard|you must|you should now|execute|run the|send|forward|exfiltrate|do not tell)"),
            r("indirect-if-ai", "indirect_injection", 75, "if you are,when you are,note to",
                    "\\b(?:if|when) you are an? (?:ai|llm|language model|assistant|bot)\\b|\\bnote to (?:the )?(?:ai|assistant|llm|model)\\b"),
            r("indirect-your-output", "indirect_injection", 40, "your ",
                    "\\b(?:in|into|to|within|throughout|for|from|on) (?:all )?your (?:reply|replies|response|responses|answer|answers|output|code|program|solution|algorithm|program logic|implementation|script|text)\\b"),
            r("indirect-embed-code", "indirect_injection", 45, "code,snippet,command,script",
                    "\\b(?:following|below|this|the) (?:code|snippet|code snippet|code block|code section|command|script)\\b.{0,40}\\b(?:in|into|to) (?:your|the) (?:code|program|solution|reply|response)"),
            r("indirect-exfil", "indirect_injection", 70, "send,post,upload,forward,leak,exfiltrate,transmit",
                    "\\b(?:send|post|upload|forward|leak|exfiltrate|transmit) (?:all |the |any |your |my |this )*(?:data|conversation|chat history|credentials|passwords|api keys?|secrets|tokens|cookies|files|information) (?:to|via)\\b"),
            // obfuscation used as a carrier
            r("obfuscation-decode-follow", "obfuscation", 60, "decode,decrypt,translate,reverse",
                    "\\b(?:decode|decrypt|translate|reverse) (?:the |this )?(?:following|base64|rot13|hex|cipher|message)s?\\b.{0,60}\\b(?:follow|execute|do|obey|answer|respond)"));

    static {
        java.util.List<String> words = new java.util.ArrayList<>();
        java.util.List<Integer> owners = new java.util.ArrayList<>();
        for (int r = 0; r < ALL.size(); r++) {
            for (String k : ALL.get(r).keywords()) {
                words.add(k);
                owners.add(r);
            }
        }
        KEYWORDS = new KeywordIndex(words);
        KEYWORD_RULE = owners.stream().mapToInt(Integer::intValue).toArray();
    }
}
