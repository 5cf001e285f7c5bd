using System.Net;
using AngleSharp.Dom;
using AngleSharp.Html.Dom;
using AngleSharp.Html.Parser;

namespace Booking.IntegrationTests.PortalPages;

/// <summary>A page as a browser gets it: status, headers and the parsed document.</summary>
internal sealed record HtmlPage(HttpResponseMessage Response, IHtmlDocument Document, string Html)
{
    public HttpStatusCode Status => Response.StatusCode;

    public string Text => Document.Body?.TextContent ?? "";

    public IElement? One(string selector) => Document.QuerySelector(selector);

    public IHtmlCollection<IElement> All(string selector) => Document.QuerySelectorAll(selector);
}

/// <summary>Checks of an error summary that both layouts share.</summary>
internal static class ErrorSummaryChecks
{
    /// <summary>The summary's links lead to their fields in the order the fields stand on the page.</summary>
    public static void AssertInPageOrder(HtmlPage page)
    {
        var all = page.Document.All.ToList();
        var links = page.One("#error-summary")!.QuerySelectorAll("a").Select(a => a.GetAttribute("href")!.TrimStart('#')).ToList();
        var positions = links.Select(id => all.IndexOf(page.Document.GetElementById(id)!)).ToList();
        Assert.True(positions.SequenceEqual(positions.Order()), $"The summary lists {string.Join(", ", links)}, not in page order.");
    }
}

/// <summary>GETs and form posts against the pages, the way a browser makes them (antiforgery token from the form).</summary>
internal static class PortalHtml
{
    public static async Task<HtmlPage> PageAsync(this HttpClient http, string url, params (string Name, string Value)[] headers)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(url, UriKind.Relative));
        foreach (var (name, value) in headers)
        {
            request.Headers.Add(name, value);
        }

        var response = await http.SendAsync(request);
        return await ReadAsync(response);
    }

    public static async Task<HtmlPage> ReadAsync(HttpResponseMessage response)
    {
        var html = await response.Content.ReadAsStringAsync();
        return new HtmlPage(response, await new HtmlParser().ParseDocumentAsync(html), html);
    }

    /// <summary>
    /// Posts the page's form (the first post form, or the one matching <paramref name="formSelector"/>) with its
    /// current values, the given fields replacing them; follows no redirect.
    /// </summary>
    public static async Task<HtmlPage> SubmitAsync(this HttpClient http, HtmlPage page, IDictionary<string, string> fields, string? formSelector = null, params (string Name, string Value)[] headers)
    {
        var form = (formSelector is null
            ? page.All("form").OfType<IHtmlFormElement>().FirstOrDefault(f => string.Equals(f.GetAttribute("method"), "post", StringComparison.OrdinalIgnoreCase) && f.QuerySelector("input[name=__RequestVerificationToken]") is not null && !(f.GetAttribute("action") ?? "").Contains("/ol/sign-out", StringComparison.Ordinal))
            : page.One(formSelector) as IHtmlFormElement)
            ?? throw new InvalidOperationException("No such form on the page:\n" + page.Html);
        var values = FormValues(form, fields.Keys.ToHashSet(StringComparer.Ordinal));
        values.AddRange(fields);
        // A form without an action posts back to its page's address (the staff forms without a handler).
        var action = form.GetAttribute("action") is { } given ? WebUtility.HtmlDecode(given) : page.Response.RequestMessage!.RequestUri!.PathAndQuery;
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(action, UriKind.Relative))
        {
            Content = new FormUrlEncodedContent(values),
        };
        foreach (var (name, value) in headers)
        {
            request.Headers.Add(name, value);
        }

        return await ReadAsync(await http.SendAsync(request));
    }

    /// <summary>What a browser sends of the form's fields (ticked boxes only), leaving out those named in <paramref name="replaced"/>.</summary>
    public static List<KeyValuePair<string, string>> FormValues(IHtmlFormElement form, IReadOnlySet<string> replaced)
    {
        var values = new List<KeyValuePair<string, string>>();
        foreach (var element in form.QuerySelectorAll("input[name], textarea[name], select[name]"))
        {
            var name = element.GetAttribute("name")!;
            if (replaced.Contains(name))
            {
                continue;
            }

            switch (element)
            {
                case IHtmlInputElement input when input.Type is "checkbox" or "radio":
                    if (input.IsChecked)
                    {
                        values.Add(new(name, input.Value));
                    }

                    break;
                case IHtmlInputElement input:
                    values.Add(new(name, input.Value));
                    break;
                case IHtmlTextAreaElement area:
                    values.Add(new(name, area.Value));
                    break;
                case IHtmlSelectElement select:
                    values.Add(new(name, select.Value ?? ""));
                    break;
            }
        }

        return values;
    }

    public static Dictionary<string, string> Fields(params (string Name, string Value)[] fields) => fields.ToDictionary(f => f.Name, f => f.Value);
}
