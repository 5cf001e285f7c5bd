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
/// exists. The settings' foreign keys now decide (decision 60): whichever commits second sees the first; a delete
/// that sees the template chosen is refused (decision 251). A transaction of the test's own plays the side that goes
/// first and holds it open, so the overlap is certain.
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
    public async Task A_template_chosen_while_its_delete_waits_is_not_deleted_and_the_refusal_names_the_notification()
    {
        var biz = await shared.App.SignUpBusinessAsync();
        var template = await CreateTemplateAsync(biz);
        await (await biz.Owner.PutAsJsonAsync("/api/v1/admin/notification-settings", Settings(null))).JsonAsync(HttpStatusCode.OK);

        HttpResponseMessage[] answers;
        await using (var held = await HeldTransaction.BeginAsync(shared.App.Database.Database))
        {
            // The save goes first and has not committed. The delete locks the settings row first, so it waits there
            // and then sees the template chosen: a template in use is not deleted (decision 251).
            Assert.Equal(1, await held.ExecAsync(
                "UPDATE notifications.notification_settings SET notify_on_new_template_id = @id WHERE tenant_id = @t", ("id", template), ("t", biz.Id)));
            answers = await held.QueueThenCommitAsync("notification_settings",
                () => biz.Owner.DeleteAsync(new Uri($"/api/v1/admin/templates/{template}", UriKind.Relative)));
        }

        var problem = await answers[0].JsonAsync(HttpStatusCode.Conflict);
        Assert.EndsWith("/template-in-use", problem.GetProperty("type").GetString(), StringComparison.Ordinal);
        Assert.Equal(new[] { "Notify Diary Contact on New Appointment" }, problem.GetProperty("usedBy").EnumerateArray().Select(u => u.GetString()!).ToList());
        Assert.Equal(template, (await NewBookingTemplateIdAsync(biz)).GetGuid());
        await (await biz.Owner.GetAsync(new Uri($"/api/v1/admin/templates/{template}", UriKind.Relative))).JsonAsync(HttpStatusCode.OK);
    }

    [Fact]
    public async Task A_template_in_use_is_refused_naming_its_notifications_the_list_says_where_each_is_used_and_another_business_is_left_alone()
    {
        var first = await shared.App.SignUpBusinessAsync();
        var second = await shared.App.SignUpBusinessAsync();
        var firstTemplate = await CreateTemplateAsync(first);
        var secondTemplate = await CreateTemplateAsync(second);
        await (await first.Owner.PutAsJsonAsync("/api/v1/admin/notification-settings", Settings(firstTemplate))).JsonAsync(HttpStatusCode.OK);
        await (await second.Owner.PutAsJsonAsync("/api/v1/admin/notification-settings", Settings(secondTemplate))).JsonAsync(HttpStatusCode.OK);

        // The list says where each template is used; the starting points a new business got are used nowhere.
        var list = await first.Owner.GetFromJsonAsync<JsonElement>("/api/v1/admin/templates");
        foreach (var item in list.GetProperty("items").EnumerateArray())
        {
            var usedBy = item.GetProperty("usedBy").EnumerateArray().Select(u => u.GetString()!).ToList();
            Assert.Equal(item.GetProperty("id").GetGuid() == firstTemplate ? new[] { "Notify Diary Contact on New Appointment" } : Array.Empty<string>(), usedBy);
        }

        // Another business's template id is not found here; one's own in use is refused (409), naming the notification,
        // and nothing changes; once the notification sends the standard text, the template is deleted.
        await (await first.Owner.DeleteAsync(new Uri($"/api/v1/admin/templates/{secondTemplate}", UriKind.Relative))).JsonAsync(HttpStatusCode.NotFound);
        var refused = await (await first.Owner.DeleteAsync(new Uri($"/api/v1/admin/templates/{firstTemplate}", UriKind.Relative))).JsonAsync(HttpStatusCode.Conflict);
        Assert.EndsWith("/template-in-use", refused.GetProperty("type").GetString(), StringComparison.Ordinal);
        Assert.Equal(new[] { "Notify Diary Contact on New Appointment" }, refused.GetProperty("usedBy").EnumerateArray().Select(u => u.GetString()!).ToList());
        Assert.Contains("Setup → Client Portal", refused.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(firstTemplate, (await NewBookingTemplateIdAsync(first)).GetGuid());
        await (await first.Owner.PutAsJsonAsync("/api/v1/admin/notification-settings", Settings(null))).JsonAsync(HttpStatusCode.OK);
        await (await first.Owner.DeleteAsync(new Uri($"/api/v1/admin/templates/{firstTemplate}", UriKind.Relative))).JsonAsync(HttpStatusCode.NoContent);

        Assert.Equal(JsonValueKind.Null, (await NewBookingTemplateIdAsync(first)).ValueKind);
        Assert.Equal(secondTemplate, (await NewBookingTemplateIdAsync(second)).GetGuid());
    }

    [Fact]
    public async Task Two_templates_saved_at_once_with_names_differing_only_in_case_do_not_both_get_in()
    {
        var biz = await shared.App.SignUpBusinessAsync();

        HttpResponseMessage[] answers;
        await using (var held = await HeldTransaction.BeginAsync(shared.App.Database.Database))
        {
            // The first save ("Race note") has inserted and not committed: the second ("race NOTE") does not see it when it
            // looks for the name, and its insert waits on the first's index entry (session 40's race audit: the backstop
            // compared the exact name, so both got in).
            Assert.Equal(1, await held.ExecAsync("""
                INSERT INTO notifications.email_templates (tenant_id, id, name, subject, body, is_default, created_at, updated_at)
                VALUES (@t, gen_random_uuid(), 'Race note', 'S', 'B', false, now(), now())
                """, ("t", biz.Id)));
            answers = await held.QueueThenCommitAsync("email_templates",
                () => biz.Owner.PostAsJsonAsync("/api/v1/admin/templates", new { name = "race NOTE", subject = "S", body = "B" }));
        }

        await SignUpTests.AssertFieldErrors(answers[0], "name");
        Assert.Equal(1L, await Sql.AdminScalarAsync<long>(shared.App.Database.Database,
            "SELECT count(*) FROM notifications.email_templates WHERE tenant_id = @t AND lower(name) = 'race note'", ("t", biz.Id)));
    }
}
