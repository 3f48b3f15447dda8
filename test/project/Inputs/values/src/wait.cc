#include "statement.h"

int Statement::wait() { return result_ ? result_->rows() : 0; }
