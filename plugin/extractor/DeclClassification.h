//===- DeclClassification.h - What a declaration is in the graph -*- C++ -*-=//
//
// Pure functions from a Clang declaration to what the graph says about it:
// whether it is an entity and of which kind, the entity that stands for it
// (templates and their implicit instantiations fold into the pattern), its
// semantic parent and the entity containing a reference, its flags, access,
// name, qualified name and signature.
//
// Thread-safety: the functions read the AST and nothing else; they may run on
// any thread that may read the declaration's ASTContext (in practice, the
// thread running that TU's frontend). Pointers returned point into the same
// AST and live as long as it. Nothing here fails: a declaration that is not
// an entity yields nullopt/nullptr.
//
//===----------------------------------------------------------------------===//
#ifndef CODEINDEX_PLUGIN_EXTRACTOR_DECLCLASSIFICATION_H
#define CODEINDEX_PLUGIN_EXTRACTOR_DECLCLASSIFICATION_H

#include "codeindex/graph/Model.h"

#include "clang/AST/Decl.h"
#include "clang/Basic/Specifiers.h"

#include <optional>
#include <string>

namespace codeindex {

/// The entity kind of D, or nullopt if D is not an entity (locals,
/// parameters, lambdas, implicit declarations, deduction guides...).
std::optional<EntityKind> entityKind(const clang::Decl *D);

/// Unwraps templates (FunctionTemplateDecl...) to the declaration they
/// describe; concepts stay themselves.
const clang::Decl *unwrapTemplate(const clang::Decl *D);

/// Implicit template instantiations are not entities: maps them to the
/// template (pattern) they come from, as Clang's index does for references.
const clang::Decl *fromInstantiation(const clang::Decl *D);

/// The declaration standing for the entity D belongs to, or null.
const clang::NamedDecl *asEntity(const clang::Decl *D);

/// The entity that contains a reference made inside D: D itself, or the
/// nearest enclosing entity (a lambda's calls belong to its function).
const clang::NamedDecl *containerEntity(const clang::Decl *D);

/// The semantic parent entity of an entity, or null at top level.
const clang::NamedDecl *parentEntity(const clang::NamedDecl *D);

/// The graph's access for a C++ access specifier.
Access toAccess(clang::AccessSpecifier A);

/// D's access as a class member; Access::None outside classes and in C.
Access accessOf(const clang::NamedDecl *D);

/// noexcept as written (`noexcept`, `noexcept(true)`): destructors are
/// implicitly noexcept, but that is not flagged or printed.
bool isNoexceptAsWritten(const clang::FunctionDecl *FD);

/// The flag:: bits of D (static, virtual, const, template...).
uint32_t flagsOf(const clang::NamedDecl *D);

/// The simple name; anonymous entities get "(anonymous struct)" and the
/// like, an anonymous tag named by a typedef gets the typedef's name. A
/// class template's constructor is `Box`, a conversion function is named by
/// its type as written (`operator std::basic_string_view<Char, Traits>`).
std::string nameOf(const clang::NamedDecl *D);

/// The qualified name; partial specializations print their arguments as
/// written (`Box<T *>`), not canonically (`Box<type-parameter-0-0 *>`).
std::string qualifiedNameOf(const clang::NamedDecl *D);

/// The signature as a reader would write it: `int S::m(int) const`,
/// `template <typename T> class Box`, `using Id = unsigned long`. Types are
/// printed as written, with the template parameters' names, never Clang's
/// canonical `type-parameter-0-0`.
std::string signatureOf(const clang::NamedDecl *D, const std::string &QualName);

/// std::make_unique / make_shared / allocate_shared...: calls that the
/// extractor resolves to the constructor they run.
bool isFactory(const clang::FunctionDecl *FD);

} // namespace codeindex

#endif // CODEINDEX_PLUGIN_EXTRACTOR_DECLCLASSIFICATION_H
