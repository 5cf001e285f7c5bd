using Booking.Host.Web;
using Booking.Notifications.Features.Templates;
using Mediator;
using Microsoft.AspNetCore.Mvc;

namespace Booking.Host.Pages.Staff.Tools;

/// <summary>
/// Tools → Communication: the business's email templates, an editor with a merge-field picker, and a preview rendered
/// by the same PreviewTemplate query as POST /api/v1/admin/templates/preview (live by script, or the Preview button).
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

    public IReadOnlyList<TemplateView> Templates { get; private set; } = [];

    public IReadOnlyList<string> MergeFields { get; private set; } = [];

    public TemplatePreview? Preview { get; private set; }

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
            Preview = await sender.Send(new PreviewTemplate(Input.Subject, Input.Body), ct);
        }
        catch (Exception ex) when (ModelState.TryAdd(ex))
        {
        }

        await LoadAsync(ct);
        return Page();
    }

    public async Task<IActionResult> OnPostDeleteAsync(CancellationToken ct)
    {
        if (Id is { } id)
        {
            await sender.Send(new DeleteTemplate(id), ct);
        }

        return Redirect("/staff/tools/communication?saved=deleted");
    }

    private async Task LoadAsync(CancellationToken ct)
    {
        var list = await sender.Send(new ListTemplates(), ct);
        Templates = list.Items;
        MergeFields = list.MergeFields;
    }
}
