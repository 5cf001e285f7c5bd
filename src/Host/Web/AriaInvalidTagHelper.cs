using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Html;
using Microsoft.AspNetCore.Mvc.Rendering;
using Microsoft.AspNetCore.Mvc.ViewFeatures;
using Microsoft.AspNetCore.Razor.TagHelpers;

namespace Booking.Host.Web;

/// <summary>
/// After a failed post, a field with an error says so to assistive technology: aria-invalid="true" (its message is
/// already named by the field's aria-describedby, or its group's). Runs on every input, select and textarea bound
/// with asp-for, and on those that name their field by hand (name="..."): radio groups, lists of checkboxes and
/// selects built in a loop cannot use asp-for, and a bad choice among them is as invalid as a bad text.
/// </summary>
[HtmlTargetElement("input", Attributes = "asp-for")]
[HtmlTargetElement("select", Attributes = "asp-for")]
[HtmlTargetElement("textarea", Attributes = "asp-for")]
[HtmlTargetElement("input", Attributes = "name")]
[HtmlTargetElement("select", Attributes = "name")]
[HtmlTargetElement("textarea", Attributes = "name")]
public sealed class AriaInvalidTagHelper : TagHelper
{
    [HtmlAttributeName("asp-for")]
    public ModelExpression? For { get; set; }

    [ViewContext]
    [HtmlAttributeNotBound]
    public ViewContext ViewContext { get; set; } = null!;

    public override int Order => 1000; // after the framework's tag helpers

    public override void Process(TagHelperContext context, TagHelperOutput output)
    {
        var state = ViewContext.ViewData.ModelState;
        if (state.ErrorCount == 0)
        {
            return;
        }

        // asp-for names the field under the view's prefix: a partial given for="Input" renders asp-for="Mobile" as "Input.Mobile".
        var name = For is { } bound ? ViewContext.ViewData.TemplateInfo.GetFullHtmlFieldName(bound.Name) : NameOf(output);
        if (name is { Length: > 0 } && state.TryGetValue(name, out var entry) && entry.Errors.Count > 0)
        {
            output.Attributes.SetAttribute("aria-invalid", "true");
        }
    }

    /// <summary>The element's literal name attribute (text, or an expression's value).</summary>
    private static string? NameOf(TagHelperOutput output)
    {
        if (!output.Attributes.TryGetAttribute("name", out var attribute))
        {
            return null;
        }

        switch (attribute.Value)
        {
            case string text:
                return text;
            case IHtmlContent html:
                using (var writer = new StringWriter())
                {
                    html.WriteTo(writer, NullHtmlEncoder.Default);
                    return writer.ToString();
                }

            default:
                return attribute.Value?.ToString();
        }
    }
}
