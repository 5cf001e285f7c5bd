using Microsoft.AspNetCore.Mvc.Rendering;
using Microsoft.AspNetCore.Mvc.ViewFeatures;
using Microsoft.AspNetCore.Razor.TagHelpers;

namespace Booking.Host.Web;

/// <summary>
/// After a failed post the error summary (Pages/Shared/_ErrorSummary.cshtml) leads the page, has the focus and lists
/// every error, those of no one field too; a form's own <c>asp-validation-summary</c> block would say those again
/// (read twice, shown twice), so it is left out then. It still shows errors a GET brings (a search), when there is no
/// summary.
/// </summary>
[HtmlTargetElement("div", Attributes = "asp-validation-summary")]
public sealed class FormErrorsTagHelper : TagHelper
{
    [ViewContext]
    [HtmlAttributeNotBound]
    public ViewContext ViewContext { get; set; } = null!;

    public override int Order => 1000; // after the framework's validation summary

    public override void Process(TagHelperContext context, TagHelperOutput output)
    {
        if (ViewContext.IsFailedPost())
        {
            output.SuppressOutput();
        }
    }
}
