using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Booking.IntegrationTests.Infrastructure;

namespace Booking.IntegrationTests.Setup;

public sealed class ServicesTests(SharedApp shared) : IClassFixture<SharedApp>
{
    [Fact]
    public async Task Services_are_created_read_changed_listed_and_retired()
    {
        var biz = await shared.App.SignUpBusinessAsync();
        var alex = await biz.CreateDiaryAsync("Dr Alex Chen");
        var sam = await biz.CreateDiaryAsync("Sam Rivera");

        var response = await biz.Owner.PostAsJsonAsync("/api/v1/admin/services", SetupApi.ServiceBody("Massage", [sam], amount: "95"));
        var created = await response.JsonAsync(HttpStatusCode.Created);
        var id = created.GetProperty("id").GetGuid();
        Assert.Equal($"/api/v1/admin/services/{id}", response.Headers.Location?.OriginalString);
        Assert.Equal("95.00", created.GetProperty("price").GetProperty("amount").GetString());
        Assert.Equal("AUD", created.GetProperty("price").GetProperty("currency").GetString());

        var put = await (await biz.Owner.PutAsJsonAsync($"/api/v1/admin/services/{id}", new
        {
            name = "Remedial massage",
            description = "Deep tissue.",
            durationMinutes = 45,
            bufferAfterMinutes = 15,
            price = new { amount = 99.5m }, // a number is accepted too, the currency defaults to the business's
            bookableOnline = true,
            diaryIds = new[] { alex, sam },
        })).JsonAsync(HttpStatusCode.OK);
        Assert.Equal("99.50", put.GetProperty("price").GetProperty("amount").GetString());

        var get = await (await biz.Owner.GetAsync(new Uri($"/api/v1/admin/services/{id}", UriKind.Relative))).JsonAsync(HttpStatusCode.OK);
        Assert.Equal("Remedial massage", get.GetProperty("name").GetString());
        Assert.Equal("Deep tissue.", get.GetProperty("description").GetString());
        Assert.Equal(45, get.GetProperty("durationMinutes").GetInt32());
        Assert.Equal(15, get.GetProperty("bufferAfterMinutes").GetInt32());
        Assert.Equal(new[] { alex, sam }.Order(), get.GetProperty("diaryIds").EnumerateArray().Select(e => e.GetGuid()).Order());
        Assert.False(get.GetProperty("retired").GetBoolean());

        await (await biz.Owner.DeleteAsync(new Uri($"/api/v1/admin/services/{id}", UriKind.Relative))).JsonAsync(HttpStatusCode.NoContent);
        var retired = await (await biz.Owner.GetAsync(new Uri($"/api/v1/admin/services/{id}", UriKind.Relative))).JsonAsync(HttpStatusCode.OK);
        Assert.True(retired.GetProperty("retired").GetBoolean());
        Assert.Equal("Remedial massage", retired.GetProperty("name").GetString());

        var list = await (await biz.Owner.GetAsync(new Uri("/api/v1/admin/services", UriKind.Relative))).JsonAsync(HttpStatusCode.OK);
        Assert.Single(list.GetProperty("items").EnumerateArray());
        var portal = await (await shared.App.NewClient().GetAsync(new Uri($"/api/v1/portal/services?name={biz.Slug}", UriKind.Relative))).JsonAsync(HttpStatusCode.OK);
        Assert.Empty(portal.GetProperty("items").EnumerateArray());
    }

    [Fact]
    public async Task A_retired_service_is_restored_as_it_was_and_offered_again()
    {
        var biz = await shared.App.SignUpBusinessAsync();
        var sam = await biz.CreateDiaryAsync("Sam Rivera");
        var id = await biz.CreateServiceAsync("Full groom", sam);
        await (await biz.Owner.DeleteAsync(new Uri($"/api/v1/admin/services/{id}", UriKind.Relative))).JsonAsync(HttpStatusCode.NoContent);
        var portal = shared.App.NewClient();
        Assert.Empty((await (await portal.GetAsync(new Uri($"/api/v1/portal/services?name={biz.Slug}", UriKind.Relative))).JsonAsync(HttpStatusCode.OK)).GetProperty("items").EnumerateArray());

        var restored = await (await biz.Owner.PostAsync(new Uri($"/api/v1/admin/services/{id}/restore", UriKind.Relative), null)).JsonAsync(HttpStatusCode.OK);

        Assert.False(restored.GetProperty("retired").GetBoolean());
        Assert.Equal([sam], restored.GetProperty("diaryIds").EnumerateArray().Select(e => e.GetGuid()));
        var offered = Assert.Single((await (await portal.GetAsync(new Uri($"/api/v1/portal/services?name={biz.Slug}", UriKind.Relative))).JsonAsync(HttpStatusCode.OK)).GetProperty("items").EnumerateArray());
        Assert.Equal(id, offered.GetProperty("id").GetGuid());
        // Again: the same answer. Another business's id: not found, and it stays retired.
        Assert.False((await (await biz.Owner.PostAsync(new Uri($"/api/v1/admin/services/{id}/restore", UriKind.Relative), null)).JsonAsync(HttpStatusCode.OK)).GetProperty("retired").GetBoolean());
        var other = await shared.App.SignUpBusinessAsync();
        var theirs = await other.CreateServiceAsync("Theirs");
        await (await other.Owner.DeleteAsync(new Uri($"/api/v1/admin/services/{theirs}", UriKind.Relative))).JsonAsync(HttpStatusCode.NoContent);
        Assert.Equal("not-found", (await (await biz.Owner.PostAsync(new Uri($"/api/v1/admin/services/{theirs}/restore", UriKind.Relative), null)).JsonAsync(HttpStatusCode.NotFound)).Kind());
        Assert.True((await (await other.Owner.GetAsync(new Uri($"/api/v1/admin/services/{theirs}", UriKind.Relative))).JsonAsync(HttpStatusCode.OK)).GetProperty("retired").GetBoolean());
    }

    [Fact]
    public async Task Bad_service_fields_are_all_reported_with_their_json_paths()
    {
        var biz = await shared.App.SignUpBusinessAsync();
        var problem = await (await biz.Owner.PostAsJsonAsync("/api/v1/admin/services", new
        {
            name = "",
            description = "x",
            durationMinutes = 481,
            bufferAfterMinutes = -5,
            price = new { amount = "1.234" },
            diaryIds = Array.Empty<Guid>(),
        })).JsonAsync(HttpStatusCode.BadRequest);

        Assert.Equal("validation", problem.Kind());
        Assert.Equal(new[] { "bookableOnline", "bufferAfterMinutes", "durationMinutes", "name", "price.amount" }, problem.ErrorFields().Order());

        var negative = await (await biz.Owner.PostAsJsonAsync("/api/v1/admin/services", SetupApi.ServiceBody("X", [], amount: "-1.00"))).JsonAsync(HttpStatusCode.BadRequest);
        Assert.Equal(["price.amount"], negative.ErrorFields());
        var tooShort = await (await biz.Owner.PostAsJsonAsync("/api/v1/admin/services", SetupApi.ServiceBody("X", [], duration: 4))).JsonAsync(HttpStatusCode.BadRequest);
        Assert.Equal(["durationMinutes"], tooShort.ErrorFields());
        var currency = await (await biz.Owner.PostAsJsonAsync("/api/v1/admin/services", new
        {
            name = "X", description = "", durationMinutes = 30, bufferAfterMinutes = 0, price = new { amount = "10.00", currency = "USD" }, bookableOnline = true, diaryIds = Array.Empty<Guid>(),
        })).JsonAsync(HttpStatusCode.BadRequest);
        Assert.Equal(["price.currency"], currency.ErrorFields());
    }

    [Fact]
    public async Task A_price_amount_with_an_exponent_or_separators_is_refused_naming_the_field_and_plain_ones_are_saved()
    {
        var biz = await shared.App.SignUpBusinessAsync();
        // As a JSON string and as a JSON number: digits and one decimal point only, never 1e3 read as 1000.00.
        foreach (var amount in new[] { "\"1e3\"", "1e3", "4.5E1", "\"45,00\"", "\" 45\"", "\"+45\"", "\"\"", "true" })
        {
            var body = $$"""{"name":"Exp {{Guid.NewGuid():N}}","description":"","durationMinutes":30,"bufferAfterMinutes":0,"price":{"amount":{{amount}}},"bookableOnline":true,"diaryIds":[]}""";
            var problem = await (await biz.Owner.PostAsync(new Uri("/api/v1/admin/services", UriKind.Relative),
                new StringContent(body, System.Text.Encoding.UTF8, "application/json"))).JsonAsync(HttpStatusCode.BadRequest);
            Assert.Equal(["price.amount"], problem.ErrorFields());
            Assert.Equal("Give the amount as digits with a decimal point, such as \"45.00\".",
                problem.GetProperty("errors").GetProperty("price.amount")[0].GetString());
        }

        Assert.Empty((await (await biz.Owner.GetAsync(new Uri("/api/v1/admin/services", UriKind.Relative))).JsonAsync(HttpStatusCode.OK)).GetProperty("items").EnumerateArray());
        foreach (var (amount, saved) in new[] { ("\"45\"", "45.00"), ("45.5", "45.50"), ("\"1000.00\"", "1000.00") })
        {
            var body = $$"""{"name":"Plain {{Guid.NewGuid():N}}","description":"","durationMinutes":30,"bufferAfterMinutes":0,"price":{"amount":{{amount}}},"bookableOnline":true,"diaryIds":[]}""";
            var created = await (await biz.Owner.PostAsync(new Uri("/api/v1/admin/services", UriKind.Relative),
                new StringContent(body, System.Text.Encoding.UTF8, "application/json"))).JsonAsync(HttpStatusCode.Created);
            Assert.Equal(saved, created.GetProperty("price").GetProperty("amount").GetString());
        }
    }

    [Fact]
    public async Task An_amount_that_is_no_number_is_reported_with_the_body_s_other_field_errors_and_nothing_is_saved()
    {
        // Decision 277: read with the other fields, not while the JSON is read (which stopped at it, alone).
        var biz = await shared.App.SignUpBusinessAsync();
        foreach (var amount in new[] { "\"abc\"", "\"12.5x\"", "{}", "[1]" })
        {
            var body = $$"""{"name":"","description":"","durationMinutes":3,"bufferAfterMinutes":-5,"price":{"amount":{{amount}},"currency":"USD"},"bookableOnline":true,"diaryIds":[]}""";
            var problem = await (await biz.Owner.PostAsync(new Uri("/api/v1/admin/services", UriKind.Relative),
                new StringContent(body, System.Text.Encoding.UTF8, "application/json"))).JsonAsync(HttpStatusCode.BadRequest);
            Assert.Equal("validation", problem.Kind());
            Assert.Equal(["bufferAfterMinutes", "durationMinutes", "name", "price.amount", "price.currency"], problem.ErrorFields().Order(StringComparer.Ordinal));
            Assert.Equal(["Give the amount as digits with a decimal point, such as \"45.00\"."],
                problem.GetProperty("errors").GetProperty("price.amount").EnumerateArray().Select(m => m.GetString()));
        }

        // A PUT alike: the amount with the name another service has.
        var diary = await biz.CreateDiaryAsync();
        var first = await biz.CreateServiceAsync("First", diary);
        await biz.CreateServiceAsync("Second", diary);
        var put = $$"""{"name":"Second","description":"","durationMinutes":30,"bufferAfterMinutes":0,"price":{"amount":"abc"},"bookableOnline":true,"diaryIds":[]}""";
        var refused = await (await biz.Owner.PutAsync(new Uri($"/api/v1/admin/services/{first}", UriKind.Relative),
            new StringContent(put, System.Text.Encoding.UTF8, "application/json"))).JsonAsync(HttpStatusCode.BadRequest);
        Assert.Equal(["name", "price.amount"], refused.ErrorFields().Order(StringComparer.Ordinal));

        var items = (await (await biz.Owner.GetAsync(new Uri("/api/v1/admin/services", UriKind.Relative))).JsonAsync(HttpStatusCode.OK)).GetProperty("items").EnumerateArray().ToList();
        Assert.Equal(["First", "Second"], items.Select(i => i.GetProperty("name").GetString()).Order(StringComparer.Ordinal));
        Assert.All(items, i => Assert.Equal("45.00", i.GetProperty("price").GetProperty("amount").GetString()));
    }

    [Fact]
    public async Task A_diary_of_another_business_is_refused()
    {
        var biz = await shared.App.SignUpBusinessAsync();
        var other = await shared.App.SignUpBusinessAsync();
        var mine = await biz.CreateDiaryAsync();
        var theirs = await other.CreateDiaryAsync();

        var problem = await (await biz.Owner.PostAsJsonAsync("/api/v1/admin/services", SetupApi.ServiceBody("X", [mine, theirs]))).JsonAsync(HttpStatusCode.BadRequest);

        Assert.Equal(["diaryIds[1]"], problem.ErrorFields());
        var list = await (await biz.Owner.GetAsync(new Uri("/api/v1/admin/services", UriKind.Relative))).JsonAsync(HttpStatusCode.OK);
        Assert.Empty(list.GetProperty("items").EnumerateArray());
    }

    [Fact]
    public async Task Portal_services_list_online_services_with_their_active_diaries_and_hide_prices_when_asked()
    {
        var biz = await shared.App.SignUpBusinessAsync();
        var alex = await biz.CreateDiaryAsync("Dr Alex Chen");
        var sam = await biz.CreateDiaryAsync("Sam Rivera");
        var consult = await biz.CreateServiceAsync("Initial consultation", alex, sam);
        await (await biz.Owner.PostAsJsonAsync("/api/v1/admin/services", SetupApi.ServiceBody("Staff only", [alex], bookableOnline: false))).JsonAsync(HttpStatusCode.Created);
        await (await biz.Owner.PutAsJsonAsync($"/api/v1/admin/diaries/{sam}", new { name = "Sam Rivera", contactEmail = "sam@x.example", active = false }))
            .JsonAsync(HttpStatusCode.OK);
        var anonymous = shared.App.NewClient();

        var shown = await (await anonymous.GetAsync(new Uri($"/api/v1/portal/services?name={biz.Slug}", UriKind.Relative))).JsonAsync(HttpStatusCode.OK);
        var item = Assert.Single(shown.GetProperty("items").EnumerateArray());
        Assert.Equal(consult, item.GetProperty("id").GetGuid());
        Assert.Equal("45.00", item.GetProperty("price").GetProperty("amount").GetString());
        var diary = Assert.Single(item.GetProperty("diaries").EnumerateArray());
        Assert.Equal(alex, diary.GetProperty("id").GetGuid());
        Assert.Equal("Dr Alex Chen", diary.GetProperty("name").GetString());
        Assert.False(item.TryGetProperty("bufferAfterMinutes", out _));

        var settings = await (await biz.Owner.GetAsync(new Uri("/api/v1/admin/portal-settings", UriKind.Relative))).JsonAsync(HttpStatusCode.OK);
        var body = JsonSerializer.Deserialize<Dictionary<string, object?>>(settings.GetRawText())!;
        body["showPrices"] = false;
        await (await biz.Owner.PutAsJsonAsync("/api/v1/admin/portal-settings", body)).JsonAsync(HttpStatusCode.OK);

        var hidden = await (await anonymous.GetAsync(new Uri($"/api/v1/portal/services?name={biz.Slug}", UriKind.Relative))).JsonAsync(HttpStatusCode.OK);
        Assert.False(Assert.Single(hidden.GetProperty("items").EnumerateArray()).TryGetProperty("price", out _));
    }

    [Fact]
    public async Task Another_businesss_service_ids_and_malformed_ids_answer_404()
    {
        var biz = await shared.App.SignUpBusinessAsync();
        var other = await shared.App.SignUpBusinessAsync();
        var theirs = await other.CreateServiceAsync("Theirs");

        foreach (var path in new[] { $"/api/v1/admin/services/{theirs}", "/api/v1/admin/services/not-a-guid" })
        {
            Assert.Equal("not-found", (await (await biz.Owner.GetAsync(new Uri(path, UriKind.Relative))).JsonAsync(HttpStatusCode.NotFound)).Kind());
            Assert.Equal("not-found", (await (await biz.Owner.PutAsJsonAsync(path, SetupApi.ServiceBody("Mine now", []))).JsonAsync(HttpStatusCode.NotFound)).Kind());
            Assert.Equal("not-found", (await (await biz.Owner.DeleteAsync(new Uri(path, UriKind.Relative))).JsonAsync(HttpStatusCode.NotFound)).Kind());
        }

        var untouched = await (await other.Owner.GetAsync(new Uri($"/api/v1/admin/services/{theirs}", UriKind.Relative))).JsonAsync(HttpStatusCode.OK);
        Assert.Equal("Theirs", untouched.GetProperty("name").GetString());
        Assert.False(untouched.GetProperty("retired").GetBoolean());
    }
}
