using System.Net;
using System.Net.Http.Json;
using System.Reflection;
using System.Text.Json;
using System.Text.RegularExpressions;
using Booking.IntegrationTests.Infrastructure;
using Booking.IntegrationTests.PortalPages;
using Booking.Notifications.Features.Templates;
using FluentValidation;

namespace Booking.IntegrationTests.Notifications;

/// <summary>
/// Every validation answer of the Notifications module is a plain sentence. FluentValidation's own text quotes the
/// property ("'Name' must not be empty."); a rule without its own message shows that, so these walks fail on it.
/// </summary>
public sealed partial class ValidationWordingTests(SharedApp shared) : IClassFixture<SharedApp>
{
    // 'Name', 'Notify Diary Contact On New', 'Extra Addresses On New. Template Id': FluentValidation's {PropertyName}.
    [GeneratedRegex(@"'[A-Z][A-Za-z0-9 .\[\]]*'")]
    private static partial Regex QuotedPropertyName();

    [Fact]
    public async Task The_api_answers_missing_fields_in_plain_sentences()
    {
        var biz = await shared.App.SignUpBusinessAsync("wording");
        var created = await biz.Owner.PostAsJsonAsync("/api/v1/admin/templates", new { name = "Mine", subject = "S", body = "B" });
        var id = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString();
        var emptyChoices = new { notifyDiaryContactOnNew = new { }, notifyDiaryContactOnCancelled = new { }, extraAddressesOnNew = new { } };

        var answers = new Dictionary<string, IReadOnlyDictionary<string, string[]>>
        {
            ["POST templates"] = await ErrorsAsync(biz.Owner.PostAsJsonAsync("/api/v1/admin/templates", new { })),
            ["PUT template"] = await ErrorsAsync(biz.Owner.PutAsJsonAsync($"/api/v1/admin/templates/{id}", new { })),
            ["preview"] = await ErrorsAsync(biz.Owner.PostAsJsonAsync("/api/v1/admin/templates/preview", new { })),
            ["PUT settings {}"] = await ErrorsAsync(biz.Owner.PutAsJsonAsync("/api/v1/admin/notification-settings", new { })),
            ["PUT settings, empty choices"] = await ErrorsAsync(biz.Owner.PutAsJsonAsync("/api/v1/admin/notification-settings", emptyChoices)),
            ["messages"] = await ErrorsAsync(biz.Owner.GetAsync(new Uri("/api/v1/admin/messages?status=x&limit=0&cursor=x", UriKind.Relative))),
        };

        AssertPlain(answers.SelectMany(a => a.Value.SelectMany(e => e.Value.Select(m => $"{a.Key}: {e.Key}: {m}"))));
        Assert.Equal(["Enter the template's name."], answers["POST templates"]["name"]);
        Assert.Equal(["Enter a subject."], answers["PUT template"]["subject"]);
        Assert.Equal(["Enter the email's text."], answers["preview"]["body"]);
        Assert.Equal(
            ["extraAddressesOnNew", "includeStaffChanges", "notifyDiaryContactOnCancelled", "notifyDiaryContactOnNew"],
            answers["PUT settings {}"].Keys.Order(StringComparer.Ordinal));
        Assert.Equal(["Say whether to email the diary contact on a new appointment."], answers["PUT settings, empty choices"]["notifyDiaryContactOnNew.enabled"]);
        Assert.Equal(["Give the addresses (an empty list for none)."], answers["PUT settings, empty choices"]["extraAddressesOnNew.addresses"]);
    }

    [Fact]
    public async Task The_communication_page_shows_missing_fields_in_plain_sentences()
    {
        var biz = await shared.App.SignUpBusinessAsync("wording");
        var page = await biz.Owner.PageAsync("/staff/tools/communication");
        var token = page.One("form[data-template-editor] input[name=__RequestVerificationToken]")!.GetAttribute("value")!;
        var empty = new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = token, ["Input.Name"] = "", ["Input.Subject"] = "", ["Input.Body"] = "",
        };

        var messages = new List<string>();
        foreach (var handler in new[] { "Save", "Preview" })
        {
            var answer = await PortalHtml.ReadAsync(await biz.Owner.PostAsync(
                new Uri($"/staff/tools/communication?handler={handler}", UriKind.Relative), new FormUrlEncodedContent(empty)));
            Assert.Equal(HttpStatusCode.OK, answer.Status);
            messages.AddRange(answer.All(".field-error, .form-error").Select(e => $"{handler}: #{e.Id}: {e.TextContent.Trim()}").Where(m => !m.EndsWith(": ", StringComparison.Ordinal)));
        }

        AssertPlain(messages);
        Assert.Contains("Save: #t-name-error: Enter the template's name.", messages);
        Assert.Contains("Preview: #t-body-error: Enter the email's text.", messages);
    }

    /// <summary>
    /// Every validator of the module, run on its request with every field missing (and again with nested objects
    /// present but empty): catches a rule added later to a request no walk above sends.
    /// </summary>
    [Fact]
    public void Every_validator_of_the_module_words_missing_fields_plainly()
    {
        var module = typeof(PreviewTemplateHandler).Assembly;
        var validators = module.GetTypes()
            .Where(t => t is { IsAbstract: false, IsGenericTypeDefinition: false } && typeof(IValidator).IsAssignableFrom(t))
            .Select(t => (Validator: (IValidator)Activator.CreateInstance(t)!, Request: ValidatedType(t)))
            .Where(v => !v.Request.IsInterface) // an interface's rules are included in the requests' own validators
            .ToList();
        Assert.True(validators.Count >= 5, string.Join(", ", validators.Select(v => v.Validator.GetType().Name)));

        var messages = new List<string>();
        foreach (var (validator, request) in validators)
        {
            foreach (var nested in new[] { false, true })
            {
                var result = validator.Validate(new ValidationContext<object>(Missing(request, nested, module)));
                messages.AddRange(result.Errors.Select(e => $"{request.Name} (nested {nested}): {e.PropertyName}: {e.ErrorMessage}"));
            }
        }

        Assert.Contains(messages, m => m.StartsWith("CreateTemplate", StringComparison.Ordinal));
        Assert.Contains(messages, m => m.StartsWith("PutNotificationSettings (nested True)", StringComparison.Ordinal));
        AssertPlain(messages);
    }

    private static void AssertPlain(IEnumerable<string> messages)
    {
        var all = messages.ToList();
        Assert.NotEmpty(all);
        var raw = all.Where(m => QuotedPropertyName().IsMatch(m)).ToList();
        Assert.True(raw.Count == 0, "Framework wording:\n" + string.Join("\n", raw));
    }

    private static async Task<IReadOnlyDictionary<string, string[]>> ErrorsAsync(Task<HttpResponseMessage> sending)
    {
        var response = await sending;
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{(int)response.StatusCode}: {body}");
        return JsonSerializer.Deserialize<Dictionary<string, string[]>>(JsonDocument.Parse(body).RootElement.GetProperty("errors").GetRawText())!;
    }

    private static Type ValidatedType(Type validator)
    {
        for (var t = validator; t is not null; t = t.BaseType)
        {
            if (t.IsGenericType && t.GetGenericTypeDefinition() == typeof(AbstractValidator<>))
            {
                return t.GetGenericArguments()[0];
            }
        }

        throw new InvalidOperationException($"{validator} is not an AbstractValidator.");
    }

    /// <summary>The request through its widest constructor, every argument missing; nested: the module's own objects empty instead.</summary>
    private static object Missing(Type request, bool nested, Assembly module)
    {
        var ctor = request.GetConstructors().OrderByDescending(c => c.GetParameters().Length).First();
        var args = ctor.GetParameters().Select(p =>
            nested && p.ParameterType.Assembly == module && p.ParameterType.GetConstructor(Type.EmptyTypes) is { } empty ? empty.Invoke(null)
            : p.ParameterType.IsValueType && Nullable.GetUnderlyingType(p.ParameterType) is null ? Activator.CreateInstance(p.ParameterType)
            : null).ToArray();
        return ctor.Invoke(args);
    }
}
