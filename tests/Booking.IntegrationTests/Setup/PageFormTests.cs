using System.Net;
using System.Net.Http.Json;
using AngleSharp.Dom;
using AngleSharp.Html.Dom;
using AngleSharp.Html.Parser;
using Booking.IntegrationTests.Infrastructure;

namespace Booking.IntegrationTests.Setup;

/// <summary>The staff setup pages' forms, posted the way no browser would.</summary>
public sealed class PageFormTests(SharedApp shared) : IClassFixture<SharedApp>
{
    [Fact]
    public async Task A_yes_no_field_posted_with_a_value_no_browser_sends_is_refused_and_changes_nothing()
    {
        // A checkbox posted as "maybe" used to answer 500 on every page with one (the tag helper converted the
        // attempted value back to a bool when the page was shown again); then pages that ignore ModelState saved it as
        // "no" (the portal's own switch, for one).
        var biz = await shared.App.SignUpBusinessAsync("forms");
        var diary = await biz.CreateDiaryAsync("Dr Alex Chen");
        var service = (await (await biz.Owner.PostAsJsonAsync("/api/v1/admin/services", SetupApi.ServiceBody("Massage", [diary])))
            .JsonAsync(HttpStatusCode.Created)).GetProperty("id").GetGuid();
        string[] state = ["/api/v1/admin/portal-settings", $"/api/v1/admin/diaries/{diary}", $"/api/v1/admin/diaries/{diary}/roster", $"/api/v1/admin/services/{service}"];
        Task<string[]> Snapshot() => Task.WhenAll(state.Select(u => biz.Owner.GetStringAsync(new Uri(u, UriKind.Relative))));
        var before = await Snapshot();
        string[] pages = ["/staff/setup/services/new", $"/staff/setup/services/{service}", $"/staff/setup/roster/{diary}", "/staff/setup/portal"];

        var posted = new List<string>();
        foreach (var page in pages)
        {
            var document = await new HtmlParser().ParseDocumentAsync(await biz.Owner.GetStringAsync(new Uri(page, UriKind.Relative)));
            var forms = document.QuerySelectorAll("form").OfType<IHtmlFormElement>()
                .Where(f => string.Equals(f.GetAttribute("method"), "post", StringComparison.OrdinalIgnoreCase));
            foreach (var form in forms)
            {
                var action = form.GetAttribute("action") is { Length: > 0 } a ? a : page;
                var boxes = form.QuerySelectorAll("input[type=checkbox][name][value=true]").Select(b => b.GetAttribute("name")!).Distinct();
                foreach (var box in boxes)
                {
                    var fields = Fields(form).Where(f => f.Key != box).ToList();
                    fields.Add(new(box, "maybe"));
                    if (page.EndsWith("/new", StringComparison.Ordinal))
                    {
                        fields = [.. fields.Where(f => f.Key != "Input.Name"), new("Input.Name", "Yes-no probe")];
                    }

                    using var response = await biz.Owner.PostAsync(new Uri(action, UriKind.Relative), new FormUrlEncodedContent(fields));
                    var body = await response.Content.ReadAsStringAsync();
                    Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"POST {action} with {box}=maybe answered {(int)response.StatusCode}: {body[..Math.Min(300, body.Length)]}");
                    Assert.Contains("nothing was saved", body, StringComparison.Ordinal);
                    posted.Add($"{action} {box}");
                    // Checked after each post: a later post of the same form (its other boxes as they were) would put
                    // back what an earlier one changed.
                    Assert.Equal(before, await Snapshot());
                }
            }
        }

        // Every page above has at least one yes/no field: the service's "bookable online", a roster block's, the portal's switches.
        Assert.True(posted.Select(p => p.Split(' ')[0].Split('?')[0]).Distinct().Count() >= pages.Length, string.Join("\n", posted));
        // The new service was not created from a value that is neither yes nor no.
        var services = await (await biz.Owner.GetAsync(new Uri("/api/v1/admin/services", UriKind.Relative))).JsonAsync(HttpStatusCode.OK);
        Assert.DoesNotContain(services.GetProperty("items").EnumerateArray(), s => s.GetProperty("name").GetString() == "Yes-no probe");
    }

    /// <summary>What a browser would post from the form as it is: checked boxes only, each select's chosen option.</summary>
    private static List<KeyValuePair<string, string>> Fields(IHtmlFormElement form)
    {
        var fields = new List<KeyValuePair<string, string>>();
        foreach (var element in form.QuerySelectorAll("input[name], textarea[name], select[name]"))
        {
            var name = element.GetAttribute("name")!;
            switch (element)
            {
                case IHtmlInputElement input when input.Type is "checkbox" or "radio":
                    if (input.IsChecked)
                    {
                        fields.Add(new(name, input.Value));
                    }

                    break;
                case IHtmlInputElement input when input.Type is "submit" or "button" or "file":
                    break;
                case IHtmlInputElement input:
                    fields.Add(new(name, input.Value));
                    break;
                case IHtmlTextAreaElement area:
                    fields.Add(new(name, area.Value));
                    break;
                case IHtmlSelectElement select:
                    fields.Add(new(name, select.Value ?? ""));
                    break;
            }
        }

        return fields;
    }
}
