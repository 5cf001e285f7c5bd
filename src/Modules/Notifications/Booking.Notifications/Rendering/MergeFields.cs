using System.Text;
using System.Text.RegularExpressions;

namespace Booking.Notifications.Rendering;

/// <summary>
/// The {MergeField} language of templates: plain text with named fields in braces, nothing else.
/// "{{" and "}}" stand for literal braces. Tenant text is data; it never runs as code.
/// </summary>
public static partial class MergeFields
{
    public const string ClientFullName = "ClientFullName";
    public const string ClientFirstName = "ClientFirstName";
    public const string ClientMobilePhone = "ClientMobilePhone";

    /// <summary>
    /// The client's other phone (a landline staff call them on, decision 292; never texted); empty when none. Kept as
    /// E.164 in the message and written as the business's country writes it, as {ClientMobilePhone} is (decision 296).
    /// </summary>
    public const string ClientOtherPhone = "ClientOtherPhone";

    /// <summary>
    /// A number to call the client on: their {ClientMobilePhone}, else their {ClientOtherPhone}; empty with neither.
    /// Not stored: worked out when rendered from the two, so a queued message has it too (decision 296).
    /// </summary>
    public const string ClientPhone = "ClientPhone";
    public const string ClientEmail = "ClientEmail";
    public const string NextAppointmentStartDateTime = "NextAppointmentStartDateTime";
    public const string AppointmentStartDateTime = "AppointmentStartDateTime";
    public const string AppointmentEndDateTime = "AppointmentEndDateTime";
    public const string ServiceName = "ServiceName";

    /// <summary>The name of the pet the appointment is for; empty when it is for the client (no pet).</summary>
    public const string PetName = "PetName";

    /// <summary>
    /// The notes on file for that pet ("Bites when nervous": health, temperament, care); empty without a pet or notes
    /// (decision 338). Read when the message is made, from the client's pets on file.
    /// </summary>
    public const string PetNotes = "PetNotes";
    public const string DiaryName = "DiaryName";

    /// <summary>
    /// The diary as it follows the service: "with Aoife" for a person's diary, "— Room Two" for a room or equipment
    /// (Roster's <c>DiaryKinds.With</c>, decision 280). {DiaryName} stays the bare name.
    /// </summary>
    public const string WithDiary = "WithDiary";
    public const string BusinessName = "BusinessName";
    public const string PortalUrl = "PortalUrl";
    public const string CancellationReason = "CancellationReason";

    /// <summary>
    /// The note left with the booking: the client's "Note for &lt;business&gt;" at the portal, or staff's note in the
    /// diary; empty when none. Template emails go to staff only; a client is shown only their own note ("Your note:").
    /// </summary>
    public const string AppointmentNote = "AppointmentNote";

    /// <summary>Who made the change: "the client", "a staff member", or "the client, on a request staff accepted".</summary>
    public const string ChangedBy = "ChangedBy";

    /// <summary>How clients reach the business (Setup → Client Portal), each empty when not given; read at send time.</summary>
    public const string BusinessPhone = "BusinessPhone";
    public const string BusinessEmail = "BusinessEmail";

    /// <summary>The business's cancellation policy text (built-in client emails only); read at send time.</summary>
    public const string CancellationPolicy = "CancellationPolicy";

    // Only in the built-in client emails (not offered to tenant templates).
    public const string ResetUrl = "ResetUrl";
    public const string ResetExpiresDateTime = "ResetExpiresDateTime";
    public const string DecisionReason = "DecisionReason";

    /// <summary>A staff member's name (the staff reset email).</summary>
    public const string StaffName = "StaffName";

    /// <summary>
    /// The fields of a built-in email that carries a staff member's emailed link (reset, email change, email
    /// confirmation): their name and <see cref="Link"/>'s.
    /// </summary>
    public static Dictionary<string, string?> StaffLink(string name, string protectedUrl, DateTimeOffset expiresAt) =>
        Link(protectedUrl, expiresAt, (StaffName, name));

    /// <summary>
    /// The fields of a built-in email that carries a client's emailed link (password reset or first password, email
    /// confirmation): their first name, the address the email goes to, and <see cref="Link"/>'s.
    /// </summary>
    public static Dictionary<string, string?> ClientLink(string firstName, string email, string protectedUrl, DateTimeOffset expiresAt) =>
        Link(protectedUrl, expiresAt, (ClientFirstName, firstName), (ClientEmail, email));

    /// <summary>
    /// The fields of a built-in one-notice email to a client about their account (a mobile changed, removed or added by
    /// a merge, a sign-in email changed): their first name, the address the email goes to, and the one thing the notice
    /// names (<paramref name="field"/>: <see cref="MobileEnding"/>, <see cref="NewSignInEmail"/>). The business's name
    /// and contact are filled from the business at send time, as for every built-in client email.
    /// </summary>
    public static Dictionary<string, string?> ClientNotice(string? firstName, string? email, string field, string? value) =>
        new(StringComparer.Ordinal)
        {
            [ClientFirstName] = firstName,
            [ClientEmail] = email,
            [field] = value,
        };

    /// <summary>
    /// Whose link (<paramref name="person"/>'s fields), then the link (encrypted; <see cref="Delivery.MessageSender"/>
    /// decrypts it to render) and when it stops working (rendered in the business's zone).
    /// </summary>
    private static Dictionary<string, string?> Link(string protectedUrl, DateTimeOffset expiresAt, params (string Field, string? Value)[] person)
    {
        var fields = new Dictionary<string, string?>(StringComparer.Ordinal);
        foreach (var (field, value) in person)
        {
            fields[field] = value;
        }

        fields[ResetUrl] = protectedUrl;
        fields[ResetExpiresDateTime] = expiresAt.ToString("O", System.Globalization.CultureInfo.InvariantCulture);
        return fields;
    }

    /// <summary>The address a staff member or client now signs in with (the notice to their old address).</summary>
    public const string NewSignInEmail = "NewSignInEmail";

    /// <summary>The business's staff forgot-password page (the notice that a staff sign-in email change was asked for).</summary>
    public const string ForgotPasswordUrl = "ForgotPasswordUrl";

    /// <summary>The last three digits of a mobile (the mobile-claim email names the number by them only).</summary>
    public const string MobileEnding = "MobileEnding";

    /// <summary>The last three digits of an unconfirmed mobile a merge replaced (decision 340; built-in notice only).</summary>
    public const string ReplacedMobileEnding = "ReplacedMobileEnding";

    /// <summary>
    /// The portal's cancel page of the appointment (built-in client texts only: every tenant template goes to staff, who
    /// cannot use a client's cancel page). Offered by <see cref="PortalClosings"/> where the business lets clients cancel.
    /// </summary>
    public const string CancelUrl = "CancelUrl";

    /// <summary>
    /// The client's appointments page at the portal, <c>/ol/appointments?name=</c> (built-in client texts only, filled
    /// from the business at send time): where "See your appointments" leads. {PortalUrl} stays the portal's address (its
    /// booking page), for templates and for "To book again".
    /// </summary>
    public const string AppointmentsUrl = "AppointmentsUrl";

    /// <summary>
    /// When the appointment is, from its start and end (a template field too; worked out when rendered from
    /// <see cref="AppointmentStartDateTime"/> and <see cref="AppointmentEndDateTime"/>): "Tuesday 8 December 2026,
    /// 10:00–10:45 AEDT" ("…, 9:00–9:45 AM AEDT"), both dates only past midnight (<c>TimeFormat.LongSpanWithZone</c>).
    /// </summary>
    public const string AppointmentTimes = "AppointmentTimes";

    /// <summary>
    /// Where a moved appointment was before its move (the "moved" emails only, decision 282): its start, shown as
    /// <see cref="AppointmentStartDateTime"/> is, and the diary it was in.
    /// </summary>
    public const string PreviousAppointmentStartDateTime = "PreviousAppointmentStartDateTime";

    public const string PreviousDiaryName = "PreviousDiaryName";

    /// <summary>The diary a moved appointment went to, in the old diary's contact's email only (there {DiaryName} is theirs).</summary>
    public const string NewDiaryName = "NewDiaryName";

    /// <summary>The fields a business may use in its templates (Tools → Communication).</summary>
    public static readonly IReadOnlyList<string> TemplateFields =
    [
        ClientFullName, ClientFirstName, ClientPhone, ClientMobilePhone, ClientOtherPhone, ClientEmail, NextAppointmentStartDateTime,
        AppointmentStartDateTime, AppointmentEndDateTime, AppointmentTimes, ServiceName, PetName, DiaryName, WithDiary, BusinessName, PortalUrl, CancellationReason, AppointmentNote, ChangedBy,
        BusinessPhone, BusinessEmail, PetNotes,
    ];

    /// <summary>What each of <see cref="TemplateFields"/> holds, in a few plain words (Tools → Communication lists them).</summary>
    public static readonly IReadOnlyDictionary<string, string> Descriptions = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        [ClientFullName] = "The client's first and last name.",
        [ClientFirstName] = "The client's first name.",
        [ClientPhone] = "A number to call the client on: their mobile, or their other phone when they have no mobile (empty with neither).",
        [ClientMobilePhone] = "The client's mobile number, written as your country writes it (empty when they have none, or only typed one that is not verified yet).",
        [ClientOtherPhone] = "The client's other phone, e.g. a landline, written as your country writes it (empty when they have none).",
        [ClientEmail] = "The client's email address (empty when they have none).",
        [NextAppointmentStartDateTime] = "When the appointment the email is about starts (the same as {AppointmentStartDateTime}; kept for templates written with it).",
        [AppointmentStartDateTime] = "When the appointment starts: day, date and time in the business's time zone.",
        [AppointmentEndDateTime] = "When the appointment ends.",
        [AppointmentTimes] = "When the appointment is, start to end, with the date written once (e.g. \"Tuesday 8 December 2026, 10:00–10:45 AEDT\").",
        [ServiceName] = "The service booked.",
        [PetName] = "The pet the appointment is for (empty when it is for the client).",
        [PetNotes] = "The notes on file for that pet: health, temperament, care (empty without a pet or notes).",
        [DiaryName] = "The diary (the staff member or resource) the appointment is in.",
        [WithDiary] = "The diary as it follows the service: \"with Aoife\" for a person, \"— Room Two\" for a room or equipment (e.g. \"{ServiceName} {WithDiary}\").",
        [BusinessName] = "The business's name.",
        [PortalUrl] = "The address of the business's client portal (its booking page).",
        [CancellationReason] = "The reason given for a cancellation (empty when none was given).",
        [AppointmentNote] = "The note left with the booking: the client's note from the portal, or staff's note from the diary (empty when none).",
        [ChangedBy] = "Who made the change: \"the client\", \"a staff member\", or \"the client, on a request staff accepted\".",
        [BusinessPhone] = "The business's phone number from Setup → Client Portal (empty when not given).",
        [BusinessEmail] = "The business's email address from Setup → Client Portal (empty when not given).",
    };

    public static readonly IReadOnlySet<string> SystemFields =
        new HashSet<string>(TemplateFields.Concat([PreviousAppointmentStartDateTime, PreviousDiaryName, NewDiaryName, ResetUrl, ResetExpiresDateTime, DecisionReason, MobileEnding, ReplacedMobileEnding, StaffName, NewSignInEmail, ForgotPasswordUrl, CancellationPolicy, CancelUrl, AppointmentsUrl])
            .Concat(PortalClosings.Fields), StringComparer.Ordinal);

    /// <summary>Fields whose stored value is an instant (ISO 8601), shown in the business's zone.</summary>
    public static readonly IReadOnlySet<string> Instants =
        new HashSet<string>([NextAppointmentStartDateTime, AppointmentStartDateTime, AppointmentEndDateTime, ResetExpiresDateTime, PreviousAppointmentStartDateTime], StringComparer.Ordinal);

    /// <summary>Every problem in the text: malformed braces and unknown fields, each naming the field.</summary>
    public static IReadOnlyList<string> Check(string text, IReadOnlySet<string>? allowed = null)
    {
        var known = allowed ?? TemplateSet;
        var problems = new List<string>();
        Scan(text, onText: null, onField: name =>
        {
            if (!known.Contains(name))
            {
                var guess = Suggest(name, known) is { } field ? $" Did you mean {{{field}}}?" : "";
                problems.Add($"Unknown merge field {{{name}}}.{guess} Known fields: {string.Join(", ", TemplateFields.Select(f => "{" + f + "}"))}.");
            }
        }, onError: problems.Add);
        return problems;
    }

    /// <summary>
    /// The known field an unknown <paramref name="name"/> was most likely meant to be: the one it spells in another case
    /// ("{clientfullname}"), else the one nearest to it, ignoring case, at most two letters added, dropped or changed away
    /// ("{ClientFulName}", "{BusinesName}"). None when two are as near (no guess between them) or none is near.
    /// </summary>
    public static string? Suggest(string name, IReadOnlySet<string> known)
    {
        // Deterministic: the template fields in their listed order, then any other allowed field by name.
        var fields = TemplateFields.Where(known.Contains).Concat(known.Except(TemplateFields).Order(StringComparer.Ordinal)).ToList();
        if (fields.FirstOrDefault(f => string.Equals(f, name, StringComparison.OrdinalIgnoreCase)) is { } sameLetters)
        {
            return sameLetters;
        }

        const int MaxEdits = 2;
        var near = fields.Select(f => (Field: f, Edits: Edits(name.ToUpperInvariant(), f.ToUpperInvariant(), MaxEdits)))
            .Where(x => x.Edits <= MaxEdits).ToList();
        var best = near.Count == 0 ? 0 : near.Min(x => x.Edits);
        var nearest = near.Where(x => x.Edits == best).ToList();
        return nearest.Count == 1 ? nearest[0].Field : null;
    }

    /// <summary>Levenshtein distance of <paramref name="a"/> and <paramref name="b"/>, or more than <paramref name="limit"/> once it is sure to be.</summary>
    private static int Edits(string a, string b, int limit)
    {
        if (Math.Abs(a.Length - b.Length) > limit)
        {
            return limit + 1;
        }

        var previous = new int[b.Length + 1];
        var current = new int[b.Length + 1];
        for (var j = 0; j <= b.Length; j++)
        {
            previous[j] = j;
        }

        for (var i = 1; i <= a.Length; i++)
        {
            current[0] = i;
            var rowMin = current[0];
            for (var j = 1; j <= b.Length; j++)
            {
                current[j] = Math.Min(Math.Min(previous[j] + 1, current[j - 1] + 1), previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1));
                rowMin = Math.Min(rowMin, current[j]);
            }

            if (rowMin > limit)
            {
                return limit + 1;
            }

            (previous, current) = (current, previous);
        }

        return previous[b.Length];
    }

    /// <summary>
    /// The text with each field <paramref name="expansion"/> knows replaced by its merge text (fields and all, rendered
    /// after); every other field, and literal braces, stay as they were.
    /// </summary>
    public static string Expand(string text, Func<string, string?> expansion)
    {
        if (!text.Contains('{', StringComparison.Ordinal))
        {
            return text;
        }

        var output = new StringBuilder(text.Length + 128);
        Scan(text,
            onText: s => output.Append(s.Replace("{", "{{", StringComparison.Ordinal).Replace("}", "}}", StringComparison.Ordinal)),
            onField: name => output.Append(expansion(name) ?? "{" + name + "}"),
            onError: _ => { });
        return output.ToString();
    }

    /// <summary>Replaces each field with its value (empty when missing). Assumes <see cref="Check"/> passed.</summary>
    public static string Render(string text, Func<string, string?> value) => Render(text, value, literal: s => s);

    /// <summary>As <see cref="Render(string, Func{string, string?})"/>, the template's own text passed through <paramref name="literal"/> (e.g. HTML-encoded).</summary>
    public static string Render(string text, Func<string, string?> value, Func<string, string> literal)
    {
        text = WithoutEmptyLabelLines(text, value);
        text = WithoutEmptyListItems(text, value);
        var output = new StringBuilder(text.Length + 64);
        Scan(text, onText: s => output.Append(literal(s)), onField: name => output.Append(value(name)), onError: _ => { });
        return output.ToString();
    }

    /// <summary>
    /// A line that is only a label and one field ("Reason: {CancellationReason}") is left out when the field is empty:
    /// "Reason:" followed by nothing reads like a lost reason. Any other line keeps its empty field.
    /// </summary>
    private static string WithoutEmptyLabelLines(string text, Func<string, string?> value)
    {
        if (!text.Contains(':', StringComparison.Ordinal))
        {
            return text;
        }

        var lines = text.Split('\n');
        var kept = lines.Where(line => LabelLine().Match(line.TrimEnd('\r')) is not { Success: true } m
            || !string.IsNullOrWhiteSpace(value(m.Groups[1].Value))).ToList();
        return kept.Count == lines.Length ? text : string.Join('\n', kept);
    }

    [GeneratedRegex(@"^[\p{L}\p{M} '’-]{1,40}:[ \t]*\{([A-Za-z][A-Za-z0-9]*)\}[ \t]*\z")]
    private static partial Regex LabelLine();

    /// <summary>
    /// Brackets, round or square, holding only fields and commas ("( {ClientMobilePhone}, {ClientEmail} )") keep the
    /// fields that have a value, comma-separated: "(+61412000111)" for a client without an email. With none, the
    /// brackets go and so does the space before them ("Jo Bloggs  ( {ClientMobilePhone} ) just made" reads "Jo Bloggs
    /// just made"; at the start of a line, the space after them). Kept brackets have one space before them. Clients
    /// without a mobile or without an email are usual, and "( , ana@example.com )" or "( )" reads like something lost
    /// (decisions 129 and 296). Brackets with any words in them are the template's own text and stay as written.
    /// </summary>
    private static string WithoutEmptyListItems(string text, Func<string, string?> value)
    {
        if (!text.Contains('(', StringComparison.Ordinal) && !text.Contains('[', StringComparison.Ordinal))
        {
            return text;
        }

        return FieldList().Replace(text, m =>
        {
            var space = m.Groups["space"].Value;
            var after = m.Groups["after"].Value;
            var lineStart = m.Index == 0 || text[m.Index - 1] == '\n';
            var kept = m.Groups["field"].Captures.Select(c => c.Value).Where(f => !string.IsNullOrWhiteSpace(value(f))).ToList();
            if (kept.Count == 0)
            {
                if (lineStart)
                {
                    return space; // the line's indent stays; the space that followed the brackets goes with them
                }

                var next = m.Index + m.Length;
                // "word ({Empty})word" keeps one space between the words.
                return after.Length == 0 && space.Length > 0 && next < text.Length && char.IsLetterOrDigit(text[next]) ? " " : after;
            }

            var (open, close) = m.Groups["round"].Success ? ("(", ")") : ("[", "]");
            return (lineStart ? space : space.Length > 0 ? " " : "") + open + string.Join(", ", kept.Select(f => "{" + f + "}")) + close + after;
        });
    }

    private const string FieldListItems = @"[ \t]*\{(?<field>[A-Za-z][A-Za-z0-9]*)\}(?:[ \t]*,[ \t]*\{(?<field>[A-Za-z][A-Za-z0-9]*)\})*[ \t]*";

    [GeneratedRegex(@"(?<space>[ \t]*)(?:(?<round>\()" + FieldListItems + @"\)|\[" + FieldListItems + @"\])(?<after>[ \t]*)")]
    private static partial Regex FieldList();

    private static readonly IReadOnlySet<string> TemplateSet = new HashSet<string>(TemplateFields, StringComparer.Ordinal);

    private static void Scan(string text, Action<string>? onText, Action<string> onField, Action<string> onError)
    {
        var i = 0;
        while (i < text.Length)
        {
            var c = text[i];
            if (c == '{' && i + 1 < text.Length && text[i + 1] == '{')
            {
                onText?.Invoke("{");
                i += 2;
            }
            else if (c == '}' && i + 1 < text.Length && text[i + 1] == '}')
            {
                onText?.Invoke("}");
                i += 2;
            }
            else if (c == '{')
            {
                var close = text.IndexOfAny(['}', '{', '\n'], i + 1);
                if (close < 0 || text[close] != '}')
                {
                    var fragment = text.Substring(i, Math.Min(20, (close < 0 ? text.Length : close) - i));
                    onError($"Malformed merge field \"{fragment}\": a '{{' is not closed by '}}' (write {{{{ for a literal brace).");
                    onText?.Invoke(fragment);
                    i += fragment.Length;
                    continue;
                }

                var name = text[(i + 1)..close];
                if (name.Length == 0 || !char.IsAsciiLetter(name[0]) || !name.All(char.IsAsciiLetterOrDigit))
                {
                    onError($"Malformed merge field \"{{{name}}}\": a field name is letters and digits, like {{ClientFirstName}}.");
                    onText?.Invoke(text[i..(close + 1)]);
                }
                else
                {
                    onField(name);
                }

                i = close + 1;
            }
            else if (c == '}')
            {
                onError("Malformed merge field: a '}' has no opening '{' (write }} for a literal brace).");
                onText?.Invoke("}");
                i++;
            }
            else
            {
                var next = text.IndexOfAny(['{', '}'], i);
                var end = next < 0 ? text.Length : next;
                onText?.Invoke(text[i..end]);
                i = end;
            }
        }
    }
}
