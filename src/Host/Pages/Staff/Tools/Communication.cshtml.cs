using Booking.BuildingBlocks.Problems;
using Booking.Host.Web;
using Booking.Notifications.Features.Settings;
using Booking.Notifications.Features.Templates;
using Mediator;
using Microsoft.AspNetCore.Mvc;

namespace Booking.Host.Pages.Staff.Tools;

/// <summary>
/// Tools → Communication: the business's email templates, an editor with a merge-field picker, and a preview rendered
/// by the same PreviewTemplate query as POST /api/v1/admin/templates/preview (live by script, or the Preview button).
/// Deleting takes two steps, without script: "Delete…" opens ?id=…&amp;delete=confirm. For a template no notification
/// uses, only its form (confirmed=yes) deletes; for one in use the step names the notifications and says to choose
/// another template or the standard text for them first, and offers no delete (DeleteTemplate refuses it too, 409
/// <c>template-in-use</c>; decision 251).
/// </summary>
public sealed class CommunicationModel(ISender sender) : StaffPageModel
{
    [BindProperty]
    public TemplateInput Input { get; set; } = new(null, null, null);

    /// <summary>The template open in the editor (?id=); null for a new one.</summary>
    [BindProperty(SupportsGet = true)]
    public Guid? Id { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? Saved { get; set; }

    /// <summary>?delete=confirm: the confirmation step for the template in <see cref="Id"/>.</summary>
    [BindProperty(SupportsGet = true, Name = "delete")]
    public string? DeleteStep { get; set; }

    /// <summary>Set on the confirmation step: the template and the notifications that use it.</summary>
    public TemplateUseView? ConfirmDelete { get; private set; }

    [TempData]
    public string? Notice { get; set; }

    public IReadOnlyList<TemplateView> Templates { get; private set; } = [];

    public IReadOnlyList<string> MergeFields { get; private set; } = [];

    private NotificationSettingsView? settings;

    /// <summary>
    /// The notifications (Setup → Client Portal's names) that send this template. A template no notification chose is
    /// sent to nobody: those notifications send the standard text, the built-in wording, whatever a template says.
    /// </summary>
    public IReadOnlyList<string> UsedBy(Guid templateId)
    {
        var names = new List<string>();
        if (settings?.NotifyDiaryContactOnNew?.TemplateId == templateId)
        {
            names.Add(TemplateUse.DiaryContactOnNew);
        }

        if (settings?.NotifyDiaryContactOnCancelled?.TemplateId == templateId)
        {
            names.Add(TemplateUse.DiaryContactOnCancelled);
        }

        if (settings?.ExtraAddressesOnNew?.TemplateId == templateId)
        {
            names.Add(TemplateUse.ExtraAddressesOnNew);
        }

        return names;
    }

    /// <summary>What a merge field holds, in plain words (the fields' own list, <c>MergeFields.Descriptions</c>).</summary>
    public string Describe(string field) =>
        Booking.Notifications.Rendering.MergeFields.Descriptions.GetValueOrDefault(field, "");

    public TemplatePreview? Preview { get; private set; }

    /// <summary>
    /// Which notification's email the preview shows (<see cref="PreviewNotifications"/>' names): its footer says why its
    /// reader got it. Opened, the first notification that sends the template, else the diary contact's new-appointment one.
    /// </summary>
    [BindProperty]
    public string? PreviewFor { get; set; }

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        await LoadAsync(ct);
        if (Id is { } id)
        {
            var template = Templates.FirstOrDefault(t => t.Id == id);
            if (template is null)
            {
                return Stopped(404, "Not found", "There is no such template.");
            }

            Input = new TemplateInput(template.Name, template.Subject, template.Body);
            PreviewFor = PreviewNotifications.For(UsedBy(id));
            if (DeleteStep == "confirm")
            {
                ConfirmDelete = await sender.Send(new GetTemplateUse(id), ct);
            }
        }
        else
        {
            Input = new TemplateInput("", "", "");
        }

        return Page();
    }

    public async Task<IActionResult> OnPostSaveAsync(CancellationToken ct)
    {
        ModelState.Clear();
        try
        {
            var saved = Id is { } id
                ? await sender.Send(new UpdateTemplate(id, Input.Name, Input.Subject, Input.Body), ct)
                : await sender.Send(new CreateTemplate(Input.Name, Input.Subject, Input.Body), ct);
            return Redirect($"/staff/tools/communication?id={saved.Id}&saved=1");
        }
        catch (Exception ex) when (ModelState.TryAdd(ex))
        {
            await LoadAsync(ct);
            return Page();
        }
    }

    /// <summary>The Preview button: works without the script.</summary>
    public async Task<IActionResult> OnPostPreviewAsync(CancellationToken ct)
    {
        ModelState.Clear();
        try
        {
            Preview = await sender.Send(new PreviewTemplate(Input.Subject, Input.Body, PreviewFor), ct);
        }
        catch (Exception ex) when (ModelState.TryAdd(ex, f => f == "notification" ? nameof(PreviewFor) : PageProblems.DefaultInputName(f)))
        {
            if (ModelState.TryGetValue(nameof(PreviewFor), out var entry) && entry.Errors.Count > 0)
            {
                // The page offers only the three: any other value was not chosen here (decision 260's rule for choices).
                entry.Errors.Clear();
                ModelState.AddModelError(nameof(PreviewFor), "Choose which notification's email to preview.");
            }
        }

        await LoadAsync(ct);
        return Page();
    }

    /// <summary>
    /// Deletes only from the confirmation step's form (<paramref name="confirmed"/> = yes); any other post (an old page's
    /// one-click button) is taken to that step first.
    /// </summary>
    public async Task<IActionResult> OnPostDeleteAsync(string? confirmed, CancellationToken ct)
    {
        if (Id is not { } id)
        {
            return Redirect("/staff/tools/communication");
        }

        if (confirmed != "yes")
        {
            return Redirect(ConfirmUrl(id));
        }

        try
        {
            var deleted = await sender.Send(new DeleteTemplate(id), ct);
            Notice = $"Template “{deleted.Name}” deleted.";
        }
        catch (ProblemException ex) when (ex.Kind == DeleteTemplateHandler.InUse)
        {
            // Chosen for a notification since the step was opened: the step again, now naming it.
            Notice = ex.Detail;
            return Redirect(ConfirmUrl(id));
        }
        catch (ProblemException ex) when (ex.Status == 404)
        {
            Notice = "That template no longer exists.";
        }

        return Redirect("/staff/tools/communication?saved=deleted");
    }

    public static string ConfirmUrl(Guid id) => $"/staff/tools/communication?id={id}&delete=confirm";

    private async Task LoadAsync(CancellationToken ct)
    {
        var list = await sender.Send(new ListTemplates(), ct);
        Templates = list.Items;
        MergeFields = list.MergeFields;
        settings = await sender.Send(new GetNotificationSettings(), ct);
    }
}
