using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Booking.IntegrationTests.Infrastructure;
using Booking.IntegrationTests.Platform;
using Booking.IntegrationTests.Setup;

namespace Booking.IntegrationTests.Notifications;

/// <summary>
/// A template deleted while the notification settings are being saved to use it (two staff, two tabs). Each side
/// checked the other's state before it committed, so the settings used to keep the id of a template that no longer
/// exists. The settings' foreign keys now decide (decision 60): whichever commits second sees the first. A
/// transaction of the test's own plays the side that goes first and holds it open, so the overlap is certain.
/// </summary>
public sealed class TemplateInUseRaceTests(SharedApp shared) : IClassFixture<SharedApp>
{
    private static object Settings(Guid? templateId) => new
    {
        notifyDiaryContactOnNew = new { enabled = true, templateId },
        notifyDiaryContactOnCancelled = new { enabled = false, templateId = (Guid?)null },
        extraAddressesOnNew = new { addresses = Array.Empty<string>(), templateId = (Guid?)null },
        includeStaffChanges = false,
    };

    private static async Task<Guid> CreateTemplateAsync(TestBusiness biz) =>
        (await (await biz.Owner.PostAsJsonAsync("/api/v1/admin/templates", new { name = "New booking", subject = "Booked: {ClientFullName}", body = "{NextAppointmentStartDateTime}" }))
            .JsonAsync(HttpStatusCode.Created)).GetProperty("id").GetGuid();

    private static async Task<JsonElement> NewBookingTemplateIdAsync(TestBusiness biz) =>
        (await biz.Owner.GetFromJsonAsync<JsonElement>("/api/v1/admin/notification-settings"))
            .GetProperty("notifyDiaryContactOnNew").GetProperty("templateId");

    [Fact]
    public async Task Settings_saved_to_use_a_template_being_deleted_are_refused_naming_the_field()
    {
        var biz = await shared.App.SignUpBusinessAsync();
        var template = await CreateTemplateAsync(biz);

        HttpResponseMessage[] answers;
        await using (var held = await HeldTransaction.BeginAsync(shared.App.Database.Database))
        {
            // The delete goes first and has not committed: the save still finds the template, and waits on it.
            Assert.Equal(1, await held.ExecAsync("DELETE FROM notifications.email_templates WHERE id = @id", ("id", template)));
            answers = await held.QueueThenCommitAsync("notification_settings",
                () => biz.Owner.PutAsJsonAsync("/api/v1/admin/notification-settings", Settings(template)));
        }

        await SignUpTests.AssertFieldErrors(answers[0], "notifyDiaryContactOnNew.templateId");
        Assert.Equal(JsonValueKind.Null, (await NewBookingTemplateIdAsync(biz)).ValueKind);
        Assert.Equal(0L, await Sql.AdminScalarAsync<long>(shared.App.Database.Database,
            "SELECT count(*) FROM notifications.notification_settings WHERE tenant_id = @t AND notify_on_new_template_id IS NOT NULL", ("t", biz.Id)));
    }

    [Fact]
    public async Task A_template_deleted_while_settings_are_saved_to_use_it_is_cleared_from_them()
    {
        var biz = await shared.App.SignUpBusinessAsync();
        var template = await CreateTemplateAsync(biz);
        await (await biz.Owner.PutAsJsonAsync("/api/v1/admin/notification-settings", Settings(null))).JsonAsync(HttpStatusCode.OK);

        HttpResponseMessage[] answers;
        await using (var held = await HeldTransaction.BeginAsync(shared.App.Database.Database))
        {
            // The save goes first and has not committed. The delete used to read the settings without it; it now locks
            // the settings row first (to name the notifications it turns back to the standard text), so it waits there.
            Assert.Equal(1, await held.ExecAsync(
                "UPDATE notifications.notification_settings SET notify_on_new_template_id = @id WHERE tenant_id = @t", ("id", template), ("t", biz.Id)));
            answers = await held.QueueThenCommitAsync("notification_settings",
                () => biz.Owner.DeleteAsync(new Uri($"/api/v1/admin/templates/{template}", UriKind.Relative)));
        }

        await answers[0].JsonAsync(HttpStatusCode.NoContent);
        Assert.Equal(JsonValueKind.Null, (await NewBookingTemplateIdAsync(biz)).ValueKind);
        Assert.True((await biz.Owner.GetFromJsonAsync<JsonElement>("/api/v1/admin/notification-settings"))
            .GetProperty("notifyDiaryContactOnNew").GetProperty("enabled").GetBoolean(), "the setting stays enabled, with the default text");
    }

    [Fact]
    public async Task Deleting_a_template_in_use_leaves_another_business_using_its_own_template_alone()
    {
        var first = await shared.App.SignUpBusinessAsync();
        var second = await shared.App.SignUpBusinessAsync();
        var firstTemplate = await CreateTemplateAsync(first);
        var secondTemplate = await CreateTemplateAsync(second);
        await (await first.Owner.PutAsJsonAsync("/api/v1/admin/notification-settings", Settings(firstTemplate))).JsonAsync(HttpStatusCode.OK);
        await (await second.Owner.PutAsJsonAsync("/api/v1/admin/notification-settings", Settings(secondTemplate))).JsonAsync(HttpStatusCode.OK);

        // Another business's template id is not found here, and deleting one's own clears only one's own settings.
        await (await first.Owner.DeleteAsync(new Uri($"/api/v1/admin/templates/{secondTemplate}", UriKind.Relative))).JsonAsync(HttpStatusCode.NotFound);
        await (await first.Owner.DeleteAsync(new Uri($"/api/v1/admin/templates/{firstTemplate}", UriKind.Relative))).JsonAsync(HttpStatusCode.NoContent);

        Assert.Equal(JsonValueKind.Null, (await NewBookingTemplateIdAsync(first)).ValueKind);
        Assert.Equal(secondTemplate, (await NewBookingTemplateIdAsync(second)).GetGuid());
    }
}
