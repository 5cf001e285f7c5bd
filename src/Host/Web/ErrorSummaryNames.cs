using System.Net;

namespace Booking.Host.Web;

/// <summary>
/// The error summary's words for a field on Setup's pages (decision 310): a message that does not name its field ("Use a
/// number from 1 to 100.", "Use at most 100 characters.") is said after the field's label as the page shows it ("Most
/// upcoming appointments one client may book online: Use a number from 1 to 100."), so a reader of the summary alone
/// knows which box it is about. The message beside the box stays as it is: the label is right above it there.
/// </summary>
public static class ErrorSummaryNames
{
    /// <summary>The ViewData key the staff layout sets (true on Setup's pages) for the summary.</summary>
    public const string Key = "ErrorSummaryNamesFields";

    /// <summary>"Label: message", or the message as it is when it names the label already or the page has no label for the id.</summary>
    public static string Named(string page, string id, string message)
    {
        var label = LabelOf(page, id);
        return label is null || message.Contains(Bare(label), StringComparison.OrdinalIgnoreCase) ? message : $"{label}: {message}";
    }

    /// <summary>The label without a part in brackets ("Duration (minutes)" → "Duration"): "Enter the duration …" names it.</summary>
    private static string Bare(string label)
    {
        var open = label.IndexOf(" (", StringComparison.Ordinal);
        return open > 0 ? label[..open] : label;
    }

    /// <summary>The text of the page's <c>&lt;label for="id"&gt;</c> (markup inside it dropped, spaces folded, "(optional)" left off), or null.</summary>
    public static string? LabelOf(string page, string id)
    {
        var at = page.IndexOf($"for=\"{id}\"", StringComparison.Ordinal);
        while (at >= 0)
        {
            var open = page.LastIndexOf('<', at);
            if (open >= 0 && page.AsSpan(open).StartsWith("<label", StringComparison.OrdinalIgnoreCase))
            {
                var start = page.IndexOf('>', at);
                var end = start < 0 ? -1 : page.IndexOf("</label>", start, StringComparison.OrdinalIgnoreCase);
                if (end < 0)
                {
                    return null;
                }

                var text = new System.Text.StringBuilder();
                var inTag = false;
                foreach (var c in page.AsSpan(start + 1, end - start - 1))
                {
                    if (c == '<')
                    {
                        inTag = true;
                    }
                    else if (c == '>')
                    {
                        inTag = false;
                    }
                    else if (!inTag)
                    {
                        text.Append(c);
                    }
                }

                var words = string.Join(' ', WebUtility.HtmlDecode(text.ToString()).Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
                words = words.EndsWith(" (optional)", StringComparison.Ordinal) ? words[..^" (optional)".Length] : words;
                return words.Length == 0 ? null : words;
            }

            at = page.IndexOf($"for=\"{id}\"", at + 1, StringComparison.Ordinal);
        }

        return null;
    }
}
