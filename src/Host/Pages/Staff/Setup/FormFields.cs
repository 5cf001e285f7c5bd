using System.Reflection;
using Microsoft.AspNetCore.Mvc.ModelBinding;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Booking.Host.Pages.Staff.Setup;

/// <summary>
/// One field of a setup page's form (decision 260): the page's input (without the form's prefix), the API's field paths
/// it answers for ("branding" answers "branding" and "branding.colour"), and what the page says when it is refused.
/// </summary>
/// <param name="Input">The input's name under the form's prefix, e.g. "InsideWindow" for <c>Settings.InsideWindow</c>.</param>
/// <param name="ApiPaths">The API's camelCase paths whose errors stand by this input (a path and anything under it).</param>
public sealed record FormField(string Input, params string[] ApiPaths)
{
    /// <summary>
    /// A select, picker, colour box or list of ticks: every value the page offers is fine, so any refusal (a value the
    /// page never offers, one gone meanwhile) is said in these words, never the API's ("Use "refuse" or "request".").
    /// </summary>
    public string? Choose { get; init; }

    /// <summary>
    /// A field a browser always posts (a select, a text box): a post that leaves it out is refused in these words
    /// rather than sent with the field's default. Checkboxes are never this: an unticked box is not posted.
    /// </summary>
    public string? Missing { get; init; }

    /// <summary>The API's words that speak of its JSON ("set terms to null") → the page's words about its boxes.</summary>
    public IReadOnlyDictionary<string, string> Rewords { get; init; } = new Dictionary<string, string>();
}

/// <summary>
/// A setup page's form and the API it sends to, in one table (decision 260): which API field path stands by which
/// input, and the page's words for a refusal meant for API users. Setup → Client Portal (its settings and notification
/// forms), Setup → Business and Setup → Services' edit page share it, so a tampered or odd post (a value the page never
/// offers, a box left out, an id that is no GUID) is a sentence for a person next to its field, and nothing is sent.
/// A <c>[NumberBox]</c> property of the input class, or a field with <see cref="FormField.Missing"/>, is always posted
/// by a browser: left out of a post it is refused (a box left out was saved as its default: 60 minutes, a price of 0).
/// </summary>
public sealed class FormFields
{
    private readonly string prefix;
    private readonly IReadOnlyList<FormField> fields;
    private readonly IReadOnlyList<(string Input, string Words)> alwaysPosted;

    /// <param name="prefix">The form's prefix with its dot ("Settings.").</param>
    /// <param name="inputType">The bound input class, whose <c>[NumberBox]</c> properties are always posted.</param>
    public FormFields(string prefix, Type inputType, params FormField[] fields)
    {
        this.prefix = prefix;
        this.fields = fields;
        var boxes = inputType.GetProperties()
            .Select(p => (Input: p.Name, Box: p.GetCustomAttribute<NumberBoxAttribute>()))
            .Where(p => p.Box is not null)
            .Select(p => (p.Input, p.Box!.Message));
        alwaysPosted = boxes.Concat(fields.Where(f => f.Missing is not null).Select(f => (f.Input, f.Missing!))).ToList();
    }

    /// <summary>The API's field path → the page's input name ("cancellationPolicy.insideWindow" → "Settings.InsideWindow").</summary>
    public string InputName(string apiPath)
    {
        var field = fields
            .SelectMany(f => f.ApiPaths.Select(p => (Field: f, Path: p)))
            .Where(x => apiPath == x.Path || apiPath.StartsWith(x.Path + ".", StringComparison.Ordinal) || apiPath.StartsWith(x.Path + "[", StringComparison.Ordinal))
            .OrderByDescending(x => x.Path.Length)
            .Select(x => x.Field)
            .FirstOrDefault();
        if (field is not null)
        {
            return prefix + field.Input;
        }

        // A path no field names: the page's input of the same name ("showPrices" → "Settings.ShowPrices").
        var first = apiPath.Split('.', '[')[0];
        return first.Length == 0 ? prefix.TrimEnd('.') : prefix + char.ToUpperInvariant(first[0]) + first[1..];
    }

    /// <summary>
    /// Before anything is sent: a field left out of the post that a browser always posts gets its words, and a field
    /// that did not bind (an id that is no GUID: MVC's "The value 'abc' is not valid.") gets its page words. True when
    /// any field of the form has an error then: send nothing (<see cref="NumberBoxes.RefusedAsync"/> adds the rest).
    /// </summary>
    public bool Unread(PageModel page)
    {
        var form = page.Request.HasFormContentType ? page.Request.Form : null;
        foreach (var (input, words) in alwaysPosted)
        {
            if (form is not null && !form.ContainsKey(prefix + input))
            {
                page.ModelState.TryAddModelError(prefix + input, words);
            }
        }

        UsePageWording(page.ModelState);
        return page.ModelState.Any(e => e.Key.StartsWith(prefix, StringComparison.Ordinal) && e.Value is { Errors.Count: > 0 });
    }

    /// <summary>Every refusal on a <see cref="FormField.Choose"/> field in its words (said once); the API's JSON words reworded.</summary>
    public void UsePageWording(ModelStateDictionary modelState)
    {
        foreach (var field in fields)
        {
            if (!modelState.TryGetValue(prefix + field.Input, out var entry) || entry.Errors.Count == 0)
            {
                continue;
            }

            if (field.Choose is { } words)
            {
                entry.Errors[0] = new ModelError(words);
                while (entry.Errors.Count > 1)
                {
                    entry.Errors.RemoveAt(1);
                }

                continue;
            }

            for (var i = 0; i < entry.Errors.Count; i++)
            {
                if (field.Rewords.TryGetValue(entry.Errors[i].ErrorMessage, out var pageWords))
                {
                    entry.Errors[i] = new ModelError(pageWords);
                }
            }
        }
    }
}
